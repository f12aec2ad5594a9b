namespace NpEdit.ShapesWorld.Corpus;

/// <summary>What <see cref="CorpusWriter"/> exports: <see cref="Count"/> scenes at <see cref="Resolution"/>² from corpus seed <see cref="Seed"/>.</summary>
public sealed record CorpusOptions(int Count, int Resolution, ulong Seed, string OutputDirectory)
{
    public int RowsPerShard { get; init; } = 5000;

    /// <summary>Rows per Parquet row group; `datasets` uses 100 for image datasets.</summary>
    public int RowGroupSize { get; init; } = 100;

    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    public void Validate()
    {
        if (Count < 1) throw new ArgumentException($"--n must be at least 1 (got {Count}).");
        if (Resolution < Rendering.Renderer.MinSize || Resolution > Rendering.Renderer.MaxSize)
            throw new ArgumentException($"--res must be between {Rendering.Renderer.MinSize} and {Rendering.Renderer.MaxSize} (got {Resolution}).");
        if (RowsPerShard < 1 || RowGroupSize < 1 || MaxParallelism < 1) throw new ArgumentException("Shard size, row-group size and parallelism must be positive.");
        if (string.IsNullOrWhiteSpace(OutputDirectory)) throw new ArgumentException("--out must name an output folder.");
    }
}
