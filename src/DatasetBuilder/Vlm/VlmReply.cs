namespace NpEdit.DatasetBuilder.Vlm;

/// <summary>A completed reply with what it cost.</summary>
/// <param name="RequestHash">The cache key of the request (<see cref="VlmRequest.Hash"/>).</param>
/// <param name="FromCache">True when the reply came from the PostgreSQL cache and no request was sent.</param>
/// <param name="Attempts">HTTP attempts spent (0 for a cache hit).</param>
/// <param name="FailedAttempts">The kind of every attempt that failed before the one that succeeded.</param>
public sealed record VlmReply(
    string RequestHash, string Text, string Model, string Endpoint, int InputTokens, int OutputTokens, int LatencyMs, bool FromCache,
    int Attempts, IReadOnlyList<VlmFailureKind> FailedAttempts);
