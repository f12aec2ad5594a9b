using NpEdit.Trainer.Critic.Shapes;

namespace NpEdit.Trainer.Tests.Critic;

public class BatchPrefetcherFacts
{
    [Fact]
    public void Items_ComeInIndexOrder_WhateverOrderTheWorkersFinishIn()
    {
        // Later indices finish first: the hand-out order must still be the index order.
        using var prefetcher = new BatchPrefetcher<long>(i => { Thread.Sleep((int)(12 - i % 4 * 4)); return i * i; }, workers: 4, count: 20);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i * i), Enumerable.Range(0, 20).Select(_ => prefetcher.Next()));
        Assert.Contains("All 20 items", Assert.Throws<InvalidOperationException>(() => prefetcher.Next()).Message);
    }

    [Fact]
    public void Workers_StayAtMostAheadItems_BeforeTheConsumer()
    {
        var produced = 0;
        using var prefetcher = new BatchPrefetcher<int>(i => Interlocked.Increment(ref produced), workers: 3, ahead: 5);
        Thread.Sleep(300);
        Assert.Equal(5, Volatile.Read(ref produced));
        prefetcher.Next();
        Thread.Sleep(300);
        Assert.Equal(6, Volatile.Read(ref produced));
    }

    [Fact]
    public void AProducerError_IsRethrown_WhenItsItemIsAskedFor()
    {
        using var prefetcher = new BatchPrefetcher<long>(i => i == 2 ? throw new InvalidDataException("item 2 is broken") : i, workers: 2);
        Assert.Equal(0, prefetcher.Next());
        Assert.Equal(1, prefetcher.Next());
        Assert.Equal("item 2 is broken", Assert.Throws<InvalidDataException>(() => prefetcher.Next()).Message);
    }

    [Fact]
    public void WithoutWorkers_EachItemIsProducedOnTheCallersThread_WhenAskedFor()
    {
        var threads = new List<int>();
        using var prefetcher = new BatchPrefetcher<long>(i => { threads.Add(Environment.CurrentManagedThreadId); return i; }, workers: 0);
        Assert.Empty(threads);
        Assert.Equal(0, prefetcher.Next());
        Assert.Equal(1, prefetcher.Next());
        Assert.Equal([Environment.CurrentManagedThreadId, Environment.CurrentManagedThreadId], threads);
    }
}
