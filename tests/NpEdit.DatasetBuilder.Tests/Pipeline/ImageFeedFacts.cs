using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using NpEdit.DatasetBuilder.Pipeline;

namespace NpEdit.DatasetBuilder.Tests.Pipeline;

public sealed class ImageFeedFacts
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Feed_StartsTheFirstItemBeforeTheSourceEnds_AndReadsOnlyWhenASlotIsFree()
    {
        const int items = 12, slots = 3;
        var pulled = 0;
        var completed = 0;
        var maxAhead = 0;
        var gates = Enumerable.Range(0, items).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var started = new ConcurrentQueue<(int Index, int Item)>();
        var exhausted = false;

        async IAsyncEnumerable<int> Source([EnumeratorCancellation] CancellationToken ct = default)
        {
            for (var i = 0; i < items; i++)
            {
                await Task.Yield();
                var ahead = Interlocked.Increment(ref pulled) - Volatile.Read(ref completed);
                InterlockedMax(ref maxAhead, ahead);
                yield return 100 + i;
            }
        }

        var feed = ImageFeed.RunAsync(Source(), new ImageSlots(slots), async (index, item, ct) =>
        {
            started.Enqueue((index, item));
            await gates[index].Task.WaitAsync(ct);
            Interlocked.Increment(ref completed);
        }, () => exhausted = true, CancellationToken.None);

        // The first items are being processed while the source still holds the rest, and no item is read without a slot.
        await Until(() => started.Count == slots);
        await Task.Delay(150);
        Assert.Equal(slots, Volatile.Read(ref pulled));
        Assert.False(exhausted);
        gates[1].SetResult();
        await Until(() => started.Count == slots + 1);
        await Task.Delay(150);
        Assert.Equal(slots + 1, Volatile.Read(ref pulled));

        foreach (var gate in gates)
            gate.TrySetResult();
        Assert.Equal(items, await feed.WaitAsync(Patience));
        Assert.True(exhausted);
        Assert.True(maxAhead <= slots, $"{maxAhead} items read ahead of completion with {slots} slots");
        // Each item is processed once, with its position in the source.
        Assert.Equal(Enumerable.Range(0, items).Select(i => (i, 100 + i)), started.OrderBy(s => s.Index));
    }

    [Fact]
    public async Task Feeds_SharingSlots_NeverHaveMoreItemsInFlightTogether()
    {
        var slots = new ImageSlots(4);
        var inFlight = 0;
        var maxInFlight = 0;
        async Task Process(int index, int item, CancellationToken ct)
        {
            InterlockedMax(ref maxInFlight, Interlocked.Increment(ref inFlight));
            await Task.Delay(5, ct);
            Interlocked.Decrement(ref inFlight);
        }

        var counts = await Task.WhenAll(
            ImageFeed.RunAsync(Range(30), slots, Process, null, CancellationToken.None),
            ImageFeed.RunAsync(Range(20), slots, Process, null, CancellationToken.None)).WaitAsync(Patience);

        Assert.Equal([30, 20], counts);
        Assert.InRange(maxInFlight, 2, 4);
        Assert.Equal(0, slots.InUse);
    }

    [Fact]
    public async Task Feed_WhenTheSourceFailsMidway_StopsWhatIsInFlight_BeforeRethrowingTheSourceError()
    {
        var slots = new ImageSlots(8);
        var running = 0;
        var exhausted = false;
        async IAsyncEnumerable<int> Failing([EnumeratorCancellation] CancellationToken ct = default)
        {
            for (var i = 0; i < 5; i++)
            {
                await Task.Yield();
                yield return i;
            }
            await Until(() => Volatile.Read(ref running) == 5);
            throw new InvalidDataException("row group 1 cannot be read");
        }

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => ImageFeed.RunAsync(Failing(), slots, async (_, _, ct) =>
        {
            Interlocked.Increment(ref running);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                Interlocked.Decrement(ref running);
            }
        }, () => exhausted = true, CancellationToken.None).WaitAsync(Patience));

        Assert.Equal("row group 1 cannot be read", e.Message);
        // Nothing the feed started outlives it, and every slot is back.
        Assert.Equal(0, Volatile.Read(ref running));
        Assert.Equal(0, slots.InUse);
        Assert.False(exhausted);
    }

    [Fact]
    public async Task Feed_WhenAnItemFails_StopsReadingAndRethrowsTheItemsError()
    {
        var pulled = 0;
        async IAsyncEnumerable<int> Counting([EnumeratorCancellation] CancellationToken ct = default)
        {
            for (var i = 0; i < 1000; i++)
            {
                await Task.Yield();
                Interlocked.Increment(ref pulled);
                yield return i;
            }
        }

        var pulledAtFailure = 0;
        var e = await Assert.ThrowsAsync<FormatException>(() => ImageFeed.RunAsync(Counting(), new ImageSlots(2), async (index, _, ct) =>
        {
            if (index == 10)
            {
                pulledAtFailure = Volatile.Read(ref pulled);
                throw new FormatException("image 10");
            }
            await Task.Delay(20, ct);
        }, null, CancellationToken.None).WaitAsync(Patience));

        Assert.Equal("image 10", e.Message);
        // Reading stops at the failure: the other slot (its item takes 20 ms) can have taken at most one more item.
        Assert.InRange(Volatile.Read(ref pulled), pulledAtFailure, pulledAtFailure + 1);
    }

    private static async IAsyncEnumerable<int> Range(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException("the condition did not hold in time");
            await Task.Delay(5);
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
