using NpEdit.Core.Vlm;

namespace NpEdit.DatasetBuilder;

/// <summary>How this process runs dataset units (not part of a dataset's identity, so not in its config).</summary>
public sealed record DatasetBuildOptions
{
    /// <summary>Endpoints to use instead of <c>vlm.endpoints</c> / <c>NPEDIT_VLM_ENDPOINTS</c> (tests, benchmarks).</summary>
    public IReadOnlyList<VlmEndpoint>? Endpoints { get; init; }

    /// <summary>The API key instead of the variable named by <c>vlm.api_key_variable</c>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// Units an inline build runs at once. The next unit starts once the previous one has read its last image, so with
    /// two the endpoint stays busy while one unit's last replies arrive and its shard is written.
    /// </summary>
    public int ConcurrentUnits { get; init; } = 2;

    /// <summary>
    /// Images in flight per dataset in this process, over all its units (0: four per request slot). An image waits on
    /// its own replies between its two rounds of requests, so a few images per slot keep every slot busy.
    /// </summary>
    public int ImagesInFlight { get; init; }
}
