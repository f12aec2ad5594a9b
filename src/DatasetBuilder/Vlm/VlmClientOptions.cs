namespace NpEdit.DatasetBuilder.Vlm;

/// <summary>Concurrency, timeouts and retries of <see cref="VlmDispatcher"/>. Defaults suit a vLLM server.</summary>
public sealed record VlmClientOptions
{
    /// <summary>Requests in flight per endpoint (about vLLM's --max-num-seqs).</summary>
    public int MaxInFlightPerEndpoint { get; init; } = 64;

    /// <summary>Per-attempt timeout. vLLM time-to-first-token under load reaches minutes.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 6;

    /// <summary>Backoff before retry n is BaseDelay·2^(n−1) plus up to 100% jitter, capped at MaxDelay.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Seed of the jitter; fixed for reproducible benchmarks and tests.</summary>
    public int JitterSeed { get; init; } = 12345;
}
