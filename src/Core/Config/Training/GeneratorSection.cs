namespace NpEdit.Core.Config.Training;

/// <summary>The editor G_θ, initialised from G_init (Algorithm 1, line 1).</summary>
public sealed record GeneratorSection
{
    /// <summary>Path of the pretrained text-to-image checkpoint (G_init): G_θ, A_φ and the teacher start from it.</summary>
    public string Init { get; init; } = "";

    /// <summary>
    /// Optional SFT editor checkpoint to start G_θ from ("SFT + ours", Table 4); in a grid also <c>variant:NAME</c>, the
    /// editor of that variant's run with the same seed (<see cref="EditorReference"/>).
    /// </summary>
    public string InitEditor { get; init; } = "";

    /// <summary>
    /// How G_θ reads instruction words that G_init's tokenizer does not know (its vocabulary comes from captions, so
    /// "remove", "paint", "rotate", "clockwise" are all unknown): true gives each such word its own fixed vector, false
    /// reads every one as the single UNK token, as runs before 2026-11-28 did. The teacher and A_φ read the edited
    /// caption as G_init does either way.
    /// </summary>
    public bool HashUnknownWords { get; init; } = true;

    /// <summary>
    /// G_θ also adds the reference image to the target token at the same position, through a zero-initialised patch
    /// embedding of its own (InstructPix2Pix's extra input channels), besides the reference tokens in the sequence; see
    /// DiTConfig.ReferenceChannels. G_θ still starts as exactly G_init. A_φ and the teacher have no reference.
    /// </summary>
    public bool ReferenceChannels { get; init; }
}
