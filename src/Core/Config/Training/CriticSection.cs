namespace NpEdit.Core.Config.Training;

/// <summary>The frozen VLM critic.</summary>
public sealed record CriticSection
{
    public string Checkpoint { get; init; } = "";

    /// <summary>Ask the identity-preservation question (ablation "no identity", Table 3).</summary>
    public bool IdentityQuestion { get; init; } = true;
}
