namespace NpEdit.Trainer.Pretraining;

/// <summary>Which ShapesWorld images G_init learns from.</summary>
public sealed record T2IDataSection
{
    /// <summary>A folder written by <c>npedit world corpus</c>; null builds one of <see cref="Count"/> images at the model's resolution.</summary>
    public string? Corpus { get; init; }

    /// <summary>Images in the corpus built when <see cref="Corpus"/> is null.</summary>
    public int Count { get; init; } = 6000;

    /// <summary>Seed of the corpus built when <see cref="Corpus"/> is null.</summary>
    public long CorpusSeed { get; init; }

    /// <summary>Rows with more objects are skipped (a simpler distribution for a short CPU run); 5 keeps all.</summary>
    public int MaxObjects { get; init; } = 5;

    /// <summary>Keep only flat-style scenes (no sketch, pixel-art or glow rendering).</summary>
    public bool FlatOnly { get; init; }

    /// <summary>Which caption each image is paired with.</summary>
    public CaptionKind Caption { get; init; } = CaptionKind.Compact;

    /// <summary>
    /// λ of <see cref="ObjectWeights"/>: the flow loss weighs pixels inside captioned objects 1 + λ times the
    /// background's (0: the plain loss). Objects are a few percent of a 32 px image, so without it the
    /// model learns backgrounds first and object colours and places late.
    /// </summary>
    public double ObjectWeight { get; init; }

    /// <summary>Images per optimizer step.</summary>
    public int BatchSize { get; init; } = 32;
}
