using System.Collections.Concurrent;

namespace NpEdit.DatasetBuilder.Vlm;

/// <summary>Thread-safe counters of a dispatcher: requests, cache hits, tokens, latency, failures by kind.</summary>
public sealed class VlmStats
{
    private long _requests, _cacheHits, _attempts, _inputTokens, _outputTokens, _latencyMs, _failedRequests;
    private readonly ConcurrentDictionary<VlmFailureKind, long> _failedAttempts = new();

    public long Requests => Interlocked.Read(ref _requests);
    public long CacheHits => Interlocked.Read(ref _cacheHits);
    public long Attempts => Interlocked.Read(ref _attempts);
    public long InputTokens => Interlocked.Read(ref _inputTokens);
    public long OutputTokens => Interlocked.Read(ref _outputTokens);
    public long LatencyMs => Interlocked.Read(ref _latencyMs);

    /// <summary>Requests that failed for good (after retries, or not retryable).</summary>
    public long FailedRequests => Interlocked.Read(ref _failedRequests);

    /// <summary>Failed attempts by kind, retried ones included: every injected or real fault is counted here.</summary>
    public IReadOnlyDictionary<VlmFailureKind, long> FailedAttempts => new Dictionary<VlmFailureKind, long>(_failedAttempts);

    internal void CacheHit()
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _cacheHits);
    }

    internal void Attempted() => Interlocked.Increment(ref _attempts);

    internal void AttemptFailed(VlmFailureKind kind) => _failedAttempts.AddOrUpdate(kind, 1, (_, n) => n + 1);

    internal void Succeeded(VlmReply reply)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _inputTokens, reply.InputTokens);
        Interlocked.Add(ref _outputTokens, reply.OutputTokens);
        Interlocked.Add(ref _latencyMs, reply.LatencyMs);
    }

    internal void Failed()
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _failedRequests);
    }
}
