namespace NpEdit.Evaluator.Generation;

/// <summary>How to run an editor checkpoint over a benchmark. The paper evaluates 4 steps (editing) and 8 (customization).</summary>
public sealed record GenerationOptions(string Checkpoint, string OutputDirectory)
{
    public int Steps { get; init; } = 4;
    public int BatchSize { get; init; } = 16;
    public long Seed { get; init; }

    /// <summary>Only the first N items (a smoke test); null = all.</summary>
    public int? Limit { get; init; }

    public void Validate()
    {
        if (!Trainer.Sampling.FewStepSampler.SupportedSteps.Contains(Steps))
            throw new ArgumentException($"--steps must be one of {string.Join(", ", Trainer.Sampling.FewStepSampler.SupportedSteps)} (got {Steps}).");
        if (BatchSize < 1) throw new ArgumentException($"--batch must be at least 1 (got {BatchSize}).");
        if (Limit is < 1) throw new ArgumentException($"--limit must be at least 1 (got {Limit}).");
        if (!File.Exists(Checkpoint))
            throw new FileNotFoundException($"Editor checkpoint {Checkpoint} not found; pass the .safetensors file written by training (with its .config.json next to it).", Checkpoint);
    }
}
