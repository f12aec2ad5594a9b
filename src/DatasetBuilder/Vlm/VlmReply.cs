namespace NpEdit.DatasetBuilder.Vlm;

/// <summary>A completed reply with what it cost.</summary>
/// <param name="FromCache">True when the reply came from the PostgreSQL cache and no request was sent.</param>
/// <param name="Attempts">HTTP attempts spent (0 for a cache hit).</param>
public sealed record VlmReply(
    string Text, string Model, string Endpoint, int InputTokens, int OutputTokens, int LatencyMs, bool FromCache, int Attempts);
