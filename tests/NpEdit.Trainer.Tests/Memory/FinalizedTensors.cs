using TorchSharp;

namespace NpEdit.Trainer.Tests.Memory;

/// <summary>
/// Tensors freed by their finalizers. TorchSharp counts every dispose in the statistics of the thread that runs it,
/// and finalizers run on the runtime's one finalizer thread; so that thread's statistics count exactly the tensors
/// nobody disposed. The statistics object of the finalizer thread is captured by a finalizer of our own.
/// </summary>
internal static class FinalizedTensors
{
    private static ThreadDisposeScopeStatistics? finalizerThread;

    /// <summary>Tensors finalized so far (after collecting everything unreachable now).</summary>
    public static long Count()
    {
        if (finalizerThread is null)
            Capture();
        Collect();
        var s = finalizerThread!.TensorStatistics;
        return s.DisposedInScopeCount + s.DisposedOutsideScopeCount;
    }

    public static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        GC.WaitForPendingFinalizers();
    }

    private static void Capture()
    {
        Plant();
        Collect();
    }

    private static void Plant() => _ = new Probe();

    private sealed class Probe
    {
        ~Probe() => finalizerThread = DisposeScopeManager.Statistics;
    }
}
