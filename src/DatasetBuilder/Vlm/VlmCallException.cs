namespace NpEdit.DatasetBuilder.Vlm;

/// <summary>A request that failed for good: not retryable, or out of attempts.</summary>
public sealed class VlmCallException(
    VlmFailureKind kind, int attempts, IReadOnlyList<VlmFailureKind> failedAttempts, string requestHash, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public VlmFailureKind Kind { get; } = kind;
    public int Attempts { get; } = attempts;

    /// <summary>The kind of every failed attempt, the last included.</summary>
    public IReadOnlyList<VlmFailureKind> FailedAttempts { get; } = failedAttempts;

    public string RequestHash { get; } = requestHash;

    /// <summary>Worth retrying later (endpoint down, overloaded, timing out), as opposed to a request the server refuses.</summary>
    public bool Transient => Kind != VlmFailureKind.Rejected;
}
