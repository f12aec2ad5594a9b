namespace NpEdit.Trainer.Models.Text;

/// <summary>Hyperparameters of <see cref="ShapesTextEncoder"/>; every default lives here.</summary>
public sealed record TextEncoderConfig
{
    /// <summary>Token width.</summary>
    public int Dim { get; init; } = 128;

    /// <summary>Pre-LN transformer layers.</summary>
    public int Depth { get; init; } = 2;

    /// <summary>Attention heads; must divide <see cref="Dim"/>.</summary>
    public int NumHeads { get; init; } = 4;

    /// <summary>Tokens per caption including the leading BOS; longer captions are truncated.</summary>
    public int MaxTokens { get; init; } = 16;

    /// <summary>MLP hidden width as a multiple of <see cref="Dim"/>.</summary>
    public double MlpRatio { get; init; } = 4.0;

    /// <summary>
    /// False: every word outside the vocabulary reads as the one UNK embedding (G_init, trained on captions whose words
    /// are all in its vocabulary). True: each unknown word reads as its own fixed vector derived from its spelling
    /// (<see cref="ShapesTextEncoder.UnknownWordVector"/>), so an editor conditioned on instructions tells apart the
    /// verbs G_init never saw ("remove", "add", "rotate … clockwise" vs "counterclockwise") instead of reading them all
    /// as one token. Stored with the editor's checkpoint, so generation encodes instructions as training did.
    /// </summary>
    public bool HashUnknownWords { get; init; }

    /// <summary>Rejects inconsistent settings with a message naming the values.</summary>
    public TextEncoderConfig Validate()
    {
        if (Dim <= 0 || Depth < 0 || MaxTokens < 2 || MlpRatio <= 0)
            throw new ArgumentException($"Text encoder Dim ({Dim}) and MlpRatio ({MlpRatio}) must be positive, Depth ({Depth}) non-negative, MaxTokens ({MaxTokens}) at least 2.");
        if (NumHeads <= 0 || Dim % NumHeads != 0)
            throw new ArgumentException($"Text encoder Dim {Dim} must be divisible by NumHeads {NumHeads}.");
        return this;
    }
}
