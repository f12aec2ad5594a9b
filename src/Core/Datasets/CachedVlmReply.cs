namespace NpEdit.Core.Datasets;

/// <summary>A completed VLM reply as cached in <c>npedit.vlm_replies</c>.</summary>
public sealed record CachedVlmReply(
    string RequestHash, string Model, string Endpoint, string Reply, int InputTokens, int OutputTokens, int LatencyMs);
