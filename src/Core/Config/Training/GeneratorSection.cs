namespace NpEdit.Core.Config.Training;

/// <summary>The editor G_θ, initialised from G_init (Algorithm 1, line 1).</summary>
public sealed record GeneratorSection
{
    /// <summary>Path of the pretrained text-to-image checkpoint (G_init): G_θ, A_φ and the teacher start from it.</summary>
    public string Init { get; init; } = "";

    /// <summary>Optional SFT editor checkpoint to start G_θ from ("SFT + ours", Table 4).</summary>
    public string InitEditor { get; init; } = "";
}
