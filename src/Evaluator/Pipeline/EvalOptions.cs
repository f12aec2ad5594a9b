namespace NpEdit.Evaluator.Pipeline;

/// <summary>How an eval run judges: repeated judgments per item, concurrency, bootstrap rounds.</summary>
public sealed record EvalOptions
{
    /// <summary>Judgments per item (n &gt; 1 gives per-item variance; intervals then cover judge noise too).</summary>
    public int SamplesPerItem { get; init; } = 1;

    /// <summary>Items judged at once (the dispatcher bounds requests per endpoint separately).</summary>
    public int Concurrency { get; init; } = 8;

    /// <summary>Bootstrap resamples for the 95% intervals; 0 turns them off.</summary>
    public int BootstrapRounds { get; init; } = 1000;

    public int BootstrapSeed { get; init; } = 20251127;

    /// <summary>Only the first N items (a smoke test); null = all.</summary>
    public int? Limit { get; init; }

    public void Validate()
    {
        if (SamplesPerItem < 1) throw new ArgumentException($"--samples must be at least 1 (got {SamplesPerItem}).");
        if (Concurrency < 1) throw new ArgumentException($"--concurrency must be at least 1 (got {Concurrency}).");
        if (BootstrapRounds < 0) throw new ArgumentException($"--bootstrap must not be negative (got {BootstrapRounds}).");
        if (Limit is < 1) throw new ArgumentException($"--limit must be at least 1 (got {Limit}).");
    }
}
