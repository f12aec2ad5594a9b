namespace NpEdit.DatasetBuilder.Vlm;

/// <summary>Why an attempt failed; transient kinds are retried with backoff.</summary>
public enum VlmFailureKind
{
    /// <summary>HTTP 429.</summary>
    RateLimited,
    /// <summary>HTTP 5xx (and 408).</summary>
    ServerError,
    /// <summary>No reply within the request timeout.</summary>
    Timeout,
    /// <summary>Connection refused, reset or DNS failure.</summary>
    Network,
    /// <summary>A reply with no text, or a body the client could not read.</summary>
    Malformed,
    /// <summary>HTTP 4xx other than 408/429: the request itself is wrong; not retried.</summary>
    Rejected,
}
