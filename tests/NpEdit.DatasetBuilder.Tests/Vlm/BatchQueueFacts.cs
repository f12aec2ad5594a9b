using NpEdit.DatasetBuilder.Vlm;

namespace NpEdit.DatasetBuilder.Tests.Vlm;

public sealed class BatchQueueFacts
{
    [Fact]
    public async Task ItemsAddedWhileABatchIsOut_GoTogetherInTheNext()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batches = new List<int[]>();
        var queue = new BatchQueue<int, int>(async items =>
        {
            lock (batches)
                batches.Add(items.ToArray());
            await release.Task;
            return items.Select(i => i * 10).ToList();
        }, maxBatch: 100);

        var first = queue.AddAsync(0);
        await WaitUntil(() => queue.Batches == 1);
        var rest = Enumerable.Range(1, 20).Select(queue.AddAsync).ToList();
        release.SetResult();

        Assert.Equal(0, await first);
        Assert.Equal(Enumerable.Range(1, 20).Select(i => i * 10), await Task.WhenAll(rest));
        Assert.Equal([[0], Enumerable.Range(1, 20).ToArray()], batches);
    }

    [Fact]
    public async Task AFailedBatch_FailsEveryItemInIt_AndNoOther()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = new BatchQueue<int, int>(async items =>
        {
            await release.Task;
            if (items.Contains(13))
                throw new InvalidOperationException("batch with 13 failed");
            return items.ToList();
        }, maxBatch: 5);

        var first = queue.AddAsync(0);
        await WaitUntil(() => queue.Batches == 1);
        // Queued behind the first batch and cut at maxBatch: [1..5], [6..10], [11..15], [16..20].
        var rest = Enumerable.Range(1, 20).Select(i => (Item: i, Result: queue.AddAsync(i))).ToList();
        release.SetResult();

        Assert.Equal(0, await first);
        foreach (var (item, result) in rest)
        {
            if (item is >= 11 and <= 15)
                Assert.Equal("batch with 13 failed", (await Assert.ThrowsAsync<InvalidOperationException>(() => result)).Message);
            else
                Assert.Equal(item, await result);
        }
        Assert.Equal(5, queue.Batches);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        for (var i = 0; i < 500 && !condition(); i++)
            await Task.Delay(10);
        Assert.True(condition());
    }
}
