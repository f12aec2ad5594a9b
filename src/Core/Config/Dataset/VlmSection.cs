namespace NpEdit.Core.Config.Dataset;

/// <summary>The annotating VLM: endpoints, concurrency, retries and sampling (paper: Qwen2.5-VL-32B, App. D).</summary>
public sealed record VlmSection
{
    /// <summary>Comma-separated <c>model@baseUrl</c>; empty = the <c>NPEDIT_VLM_ENDPOINTS</c> variable.</summary>
    public string Endpoints { get; init; } = "";

    /// <summary>The environment variable holding the API key (servers without auth accept any key).</summary>
    public string ApiKeyVariable { get; init; } = "NPEDIT_VLM_API_KEY";

    /// <summary>Requests in flight per endpoint (about vLLM's --max-num-seqs).</summary>
    public int MaxInFlightPerEndpoint { get; init; } = 64;

    /// <summary>Per-attempt timeout: vLLM time-to-first-token under load reaches minutes.</summary>
    public double TimeoutMinutes { get; init; } = 10;

    public int MaxAttempts { get; init; } = 6;

    /// <summary>First retry delay; doubled per attempt, with jitter, capped at <see cref="MaxDelaySeconds"/>.</summary>
    public int BaseDelayMs { get; init; } = 500;

    public double MaxDelaySeconds { get; init; } = 60;

    public float Temperature { get; init; } = 0.7f;

    /// <summary>Sampling seed sent with every request (vLLM honours it), so a request is reproducible.</summary>
    public long Seed { get; init; } = 1234;

    public int MaxTokens { get; init; } = 1024;
}
