namespace NpEdit.ShapesWorld.Annotator;

/// <summary>Draws each request's fault and latency from one seeded stream, so a run's fault sequence is reproducible.</summary>
public sealed class FaultInjector(FaultOptions faults, int latencyMs, int jitterMs, ulong seed)
{
    private readonly Lock _gate = new();
    private SplitMix64 _rng = new(SplitMix64.Mix(seed ^ 0xFA017));

    public (FaultKind Fault, TimeSpan Delay) Next()
    {
        double u, v;
        lock (_gate)
        {
            u = _rng.NextDouble();
            v = _rng.NextDouble();
        }
        var fault = Pick(u);
        double delay = Math.Max(0, latencyMs + (2 * v - 1) * jitterMs);
        return (fault, TimeSpan.FromMilliseconds(delay));
    }

    private FaultKind Pick(double u)
    {
        if ((u -= faults.TooManyRequestsRate) < 0) return FaultKind.TooManyRequests;
        if ((u -= faults.ServerErrorRate) < 0) return FaultKind.ServerError;
        if ((u -= faults.TimeoutRate) < 0) return FaultKind.Timeout;
        if ((u -= faults.GarbageRate) < 0) return FaultKind.Garbage;
        return FaultKind.None;
    }
}
