namespace NpEdit.Core.Config.Dataset;

/// <summary>Which App. D pipelines run on every image.</summary>
public sealed record TasksSection
{
    /// <summary>Local edits: 4 instructions per image over the 10 edit types, each checked for validity with c^x.</summary>
    public bool Local { get; init; } = true;

    /// <summary>Customization: the prominent-object check, then three background captions per accepted image.</summary>
    public bool Customization { get; init; } = true;

    /// <summary>The in-context example of a valid prominent-object image; empty = the built-in example.</summary>
    public string ProminentExampleImage { get; init; } = "";
}
