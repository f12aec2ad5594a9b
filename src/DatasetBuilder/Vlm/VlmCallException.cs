namespace NpEdit.DatasetBuilder.Vlm;

/// <summary>A request that failed for good: not retryable, or out of attempts.</summary>
public sealed class VlmCallException(VlmFailureKind kind, int attempts, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public VlmFailureKind Kind { get; } = kind;
    public int Attempts { get; } = attempts;
}
