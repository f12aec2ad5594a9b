using System.Runtime;
using NpEdit.Trainer.Runtime;

namespace NpEdit.Trainer.Tests.Runtime;

public class TorchGcGuardFacts
{
    /// <summary>
    /// The crash the guard exists for needs a GC started by another thread while this one is inside libtorch;
    /// so inside the guard another thread's allocations (well under the budget) must start no collection.
    /// </summary>
    [Fact]
    public void InsideTheGuard_AnotherThreadsAllocations_StartNoCollection()
    {
        var before = GCSettings.LatencyMode;
        int collectionsInside;
        using (TorchGcGuard.Enter())
        {
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            var start = GC.CollectionCount(0);
            var other = new Thread(() =>
            {
                for (var i = 0; i < 2048; i++)
                    GC.KeepAlive(new byte[16 << 10]);   // 32 MB in all
            });
            other.Start();
            other.Join();
            collectionsInside = GC.CollectionCount(0) - start;
        }
        Assert.Equal(0, collectionsInside);
        Assert.Equal(before, GCSettings.LatencyMode);
    }

    [Fact]
    public void NestedGuards_LeaveTheOuterRegionOpen_UntilTheOuterEnds()
    {
        using (TorchGcGuard.Enter())
        {
            using (TorchGcGuard.Enter())
                Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void AGuardWhoseBudgetWasSpent_EndsQuietly()
    {
        using (TorchGcGuard.Enter(budgetBytes: 1 << 20))
        {
            for (var i = 0; i < 64; i++)
                GC.KeepAlive(new byte[64 << 10]);                      // 4 MB: the runtime leaves the region
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
