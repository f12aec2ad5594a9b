using NpEdit.DatasetBuilder.Vlm;

namespace NpEdit.DatasetBuilder.Pipeline;

/// <summary>One request of a unit, as stored in <c>npedit.vlm_calls</c>: outcome, tokens, latency and failed attempts by kind.</summary>
public sealed record VlmCallRecord(
    string Prompt, string RequestHash, string? Endpoint, string Outcome, int Attempts, int InputTokens, int OutputTokens, int LatencyMs,
    bool FromCache, IReadOnlyList<VlmFailureKind> FailedAttempts)
{
    public const string Ok = "ok";
    public const string Failed = "failed";

    public static VlmCallRecord From(string prompt, VlmReply reply) => new(
        prompt, reply.RequestHash, reply.Endpoint, Ok, reply.Attempts, reply.InputTokens, reply.OutputTokens, reply.LatencyMs,
        reply.FromCache, reply.FailedAttempts);

    public static VlmCallRecord From(string prompt, VlmCallException failure) => new(
        prompt, failure.RequestHash, null, Failed, failure.Attempts, 0, 0, 0, false, failure.FailedAttempts);
}
