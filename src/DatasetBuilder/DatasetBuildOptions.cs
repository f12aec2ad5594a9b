using NpEdit.Core.Vlm;

namespace NpEdit.DatasetBuilder;

/// <summary>How this process runs dataset units (not part of a dataset's identity, so not in its config).</summary>
public sealed record DatasetBuildOptions
{
    /// <summary>Endpoints to use instead of <c>vlm.endpoints</c> / <c>NPEDIT_VLM_ENDPOINTS</c> (tests, benchmarks).</summary>
    public IReadOnlyList<VlmEndpoint>? Endpoints { get; init; }

    /// <summary>The API key instead of the variable named by <c>vlm.api_key_variable</c>.</summary>
    public string? ApiKey { get; init; }

    /// <summary>Units an inline build runs at once, so the endpoint stays busy while one unit drains.</summary>
    public int ConcurrentUnits { get; init; } = 2;
}
