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

    /// <summary>
    /// Two workers training in one process: the block that opened the region ends while another thread's block is
    /// still inside (inside libtorch). It must neither end the region nor collect then (the old guard did both, and
    /// the other thread's scalars were freed mid-call); the collection comes when the last block ends, and a block
    /// started meanwhile waits for it.
    /// </summary>
    [Fact]
    public void TheFirstBlockEndingWhileAnotherThreadsBlockRuns_LeavesTheRegionOpen_AndTheLastOneOutCollects()
    {
        using var firstInside = new ManualResetEventSlim();
        using var firstLeave = new ManualResetEventSlim();
        using var firstDone = new ManualResetEventSlim();
        using var otherInside = new ManualResetEventSlim();
        using var otherLeave = new ManualResetEventSlim();
        var start = 0;
        var collectionsAfterFirst = -1;
        var modeAfterFirst = GCLatencyMode.Batch;
        var first = new Thread(() =>
        {
            using (TorchGcGuard.Enter())
            {
                firstInside.Set();
                firstLeave.Wait();
            }
            modeAfterFirst = GCSettings.LatencyMode;
            collectionsAfterFirst = GC.CollectionCount(0) - start;
            firstDone.Set();
        });
        var other = new Thread(() =>
        {
            using (TorchGcGuard.Enter())
            {
                otherInside.Set();
                otherLeave.Wait();
            }
        });
        first.Start();
        firstInside.Wait();
        Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        other.Start();
        otherInside.Wait();
        start = GC.CollectionCount(0);
        firstLeave.Set();
        firstDone.Wait();

        using var thirdEntered = new ManualResetEventSlim();
        var collectionsBeforeThird = -1;
        var third = new Thread(() =>
        {
            using (TorchGcGuard.Enter())
            {
                collectionsBeforeThird = GC.CollectionCount(0) - start;
                thirdEntered.Set();
            }
        });
        third.Start();
        Assert.False(thirdEntered.Wait(200), "a new block started before the blocks in flight were out and collected");
        otherLeave.Set();
        first.Join();
        other.Join();
        third.Join();

        Assert.Equal(GCLatencyMode.NoGCRegion, modeAfterFirst);
        Assert.Equal(0, collectionsAfterFirst);
        Assert.True(collectionsBeforeThird >= 1, "the last block out did not collect");
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
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

    /// <summary>
    /// A training step's managed objects (tensor wrappers, scalars, lists) live until the step's scope ends and die
    /// with it, inside the step's guard. A no-GC region never collects, and starting the next one does not collect
    /// either: without the collection at the end of each region, no GC ran at all and the heap grew by the whole
    /// 20 MB of every block (3 GB after 150 blocks), finalizable native objects (TorchSharp scalars) with it.
    /// </summary>
    [Fact]
    public void GuardedBlocks_OfShortLivedObjects_DoNotGrowTheManagedHeap()
    {
        GC.Collect();
        var largest = 0L;
        for (var block = 0; block < 40; block++)
        {
            using (TorchGcGuard.Enter())
            {
                var step = new List<byte[]>();                          // like a dispose scope's list: alive until the block ends
                for (var i = 0; i < 20_000; i++)
                    step.Add(new byte[1000]);
                GC.KeepAlive(step);
            }
            largest = Math.Max(largest, GC.GetTotalMemory(forceFullCollection: false));
        }
        Assert.True(largest < 256L << 20, $"the managed heap reached {largest >> 20} MB over guarded blocks of 20 MB each");
    }
}
