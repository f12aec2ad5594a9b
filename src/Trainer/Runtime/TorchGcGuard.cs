using System.Runtime;

namespace NpEdit.Trainer.Runtime;

/// <summary>
/// Keeps the .NET GC from running while a block of torch calls is in flight, as a no-GC region.
/// </summary>
/// <remarks>
/// Why: TorchSharp 0.107 passes every implicitly created <c>Scalar</c> (the <c>alpha = 1</c> of each
/// <c>a + b</c>, the <c>1</c> of <c>x + 1</c>, optimizer coefficients) to libtorch as a raw handle and keeps no
/// reference to it during the native call; the <c>Scalar</c>'s finalizer frees the native value. When a GC
/// started by another thread (a logger, a timer, Hangfire, Npgsql) lands while this thread is inside libtorch,
/// the finalizer thread frees the value mid-call and libtorch reads freed memory: "Expected false to be true …
/// Exception raised from toFloat" or "Unknown scalar type", or silently a wrong number (upstream
/// dotnet/TorchSharp PR 1434, open). Dispose scopes do not track these scalars. <c>bench/CriticLab --gc-race</c>
/// reproduces the crash in seconds without the guard. Inside a region no collection happens until the region's
/// allocation budget is spent, so the guard covers steps that allocate less than <see cref="DefaultBudgetBytes"/>
/// of managed memory on all threads together.
/// </remarks>
public sealed class TorchGcGuard : IDisposable
{
    /// <summary>Managed allocation allowed inside one guarded block (all threads) before the GC may run again.</summary>
    public const long DefaultBudgetBytes = 128L << 20;

    readonly bool entered;

    TorchGcGuard(bool entered) => this.entered = entered;

    /// <summary>
    /// Starts a no-GC region (the runtime may collect first to make room, while this thread is not in libtorch);
    /// when a region is already open (nested, or another thread's) or the runtime refuses, the GC is left as it is.
    /// </summary>
    public static TorchGcGuard Enter(long budgetBytes = DefaultBudgetBytes)
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            return new TorchGcGuard(false);
        try
        {
            return new TorchGcGuard(GC.TryStartNoGCRegion(budgetBytes, disallowFullBlockingGC: true));
        }
        catch (ArgumentOutOfRangeException)
        {
            return new TorchGcGuard(false);   // budget larger than this runtime allows: run unguarded
        }
        catch (InvalidOperationException)
        {
            return new TorchGcGuard(false);   // another thread's guard holds the region; it covers this block too
        }
    }

    /// <summary>
    /// Ends the region (if the budget was spent the runtime has already left it), then collects the youngest generation
    /// while this thread is outside libtorch. Why: a region never collects, and neither ending it nor starting the next
    /// one does; a loop of guarded steps then runs no GC at all, and every step's dead managed objects (tensor wrappers,
    /// lists, strings) and finalizable native ones (the scalars above, which no scope frees) stay: 20 MB of short-lived
    /// objects per block grew the heap by 20 MB per block (TorchGcGuardFacts), the default demo peaked at 21 GB.
    /// No tensor needs it: the training loops leave none to its finalizer (TensorLifetimeFacts).
    /// </summary>
    public void Dispose()
    {
        if (!entered)
            return;
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
            GC.EndNoGCRegion();
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
    }
}
