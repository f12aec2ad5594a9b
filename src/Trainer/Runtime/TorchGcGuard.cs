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

    // Guarded blocks of several threads (two Hangfire workers training in one process) share one region: a block
    // that ends while another thread's block is still inside libtorch must not end the region or collect, or it
    // frees that thread's scalars mid-call (seen: a grid's only-DMD run failed with the toFloat error while a second
    // worker trained beside it). So the region opens with the first block in flight and the last one out ends it and
    // collects; once a block has ended, new blocks wait until the ones in flight are out, so the collection comes
    // after every block as with one thread, and overlapping threads meet at their step boundaries.
    static readonly object Gate = new();
    static int inFlight;
    static bool collectionDue;
    static bool regionOwned;
    [ThreadStatic] static int depth;

    readonly bool counted;

    TorchGcGuard(bool counted) => this.counted = counted;

    /// <summary>
    /// Starts a guarded block: the first block in flight starts a no-GC region (the runtime may collect first to make
    /// room, while no thread is in a guarded block). A block nested in this thread's block is covered by it; when the
    /// runtime refuses a region (budget too large, or a region someone else opened) the block runs, counted, without one.
    /// </summary>
    public static TorchGcGuard Enter(long budgetBytes = DefaultBudgetBytes)
    {
        if (depth++ > 0)
            return new TorchGcGuard(false);
        lock (Gate)
        {
            while (collectionDue)
                Monitor.Wait(Gate);
            if (inFlight++ == 0 && GCSettings.LatencyMode != GCLatencyMode.NoGCRegion)
                regionOwned = TryStartRegion(budgetBytes);
        }
        return new TorchGcGuard(true);
    }

    static bool TryStartRegion(long budgetBytes)
    {
        try
        {
            return GC.TryStartNoGCRegion(budgetBytes, disallowFullBlockingGC: true);
        }
        catch (ArgumentOutOfRangeException)
        {
            return false;   // budget larger than this runtime allows: run unguarded
        }
        catch (InvalidOperationException)
        {
            return false;   // a region opened elsewhere is in force; it covers this block too
        }
    }

    /// <summary>
    /// Ends the block. The last block in flight ends the region (if the budget was spent the runtime has already left
    /// it) and collects the youngest generation while no guarded thread is in libtorch. Why collect: a region never
    /// collects, and neither ending it nor starting the next one does; a loop of guarded steps then runs no GC at all,
    /// and every step's dead managed objects (tensor wrappers, lists, strings) and finalizable native ones (the scalars
    /// above, which no scope frees) stay: 20 MB of short-lived objects per block grew the heap by 20 MB per block
    /// (TorchGcGuardFacts), the default demo peaked at 21 GB. No tensor needs it: the training loops leave none to its
    /// finalizer (TensorLifetimeFacts).
    /// </summary>
    public void Dispose()
    {
        depth--;
        if (!counted)
            return;
        lock (Gate)
        {
            collectionDue = true;
            if (--inFlight > 0)
                return;
            if (regionOwned && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion)
                GC.EndNoGCRegion();
            regionOwned = false;
            GC.Collect(0, GCCollectionMode.Forced, blocking: true);
            collectionDue = false;
            Monitor.PulseAll(Gate);
        }
    }
}
