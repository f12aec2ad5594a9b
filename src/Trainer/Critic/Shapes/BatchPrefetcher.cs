using System.Runtime.ExceptionServices;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// Produces items 0, 1, 2, … of a deterministic sequence ahead of their use, on worker threads, and hands them out in
/// order. Each item is a function of its index alone, so what <see cref="Next"/> returns does not depend on the number
/// of workers; at most <c>ahead</c> items wait unused (bounded memory). Why: critic pretraining rendered each batch's
/// ShapesWorld images on the training thread, which bounded the H100 at ≈ 11 steps/s (bench/RESULTS.md, critic section).
/// With no workers every item is produced inside <see cref="Next"/>, on the caller's thread.
/// </summary>
/// <remarks>The producer must not call TorchSharp: workers run beside guarded torch blocks (Runtime/TorchGcGuard).</remarks>
public sealed class BatchPrefetcher<T> : IDisposable
{
    readonly Func<long, T> produce;
    readonly int ahead;
    readonly long count;
    readonly Thread[] workers;
    readonly Dictionary<long, (T Value, ExceptionDispatchInfo? Error)> ready = [];
    readonly object gate = new();
    long nextToClaim;
    long nextToTake;
    bool disposed;

    /// <param name="produce">Item of an index; called once per index, from any thread.</param>
    /// <param name="workers">Threads producing ahead; 0 produces each item on the caller's thread when it is asked for.</param>
    /// <param name="ahead">Most items produced but not yet taken (defaults to twice the workers).</param>
    /// <param name="count">Items there are (workers stop there; asking for more is an error); null for no end.</param>
    public BatchPrefetcher(Func<long, T> produce, int workers, int? ahead = null, long? count = null)
    {
        ArgumentNullException.ThrowIfNull(produce);
        ArgumentOutOfRangeException.ThrowIfNegative(workers);
        ArgumentOutOfRangeException.ThrowIfNegative(count ?? 0, nameof(count));
        this.produce = produce;
        this.count = count ?? long.MaxValue;
        this.ahead = ahead ?? Math.Max(1, 2 * workers);
        ArgumentOutOfRangeException.ThrowIfLessThan(this.ahead, 1, nameof(ahead));
        this.workers = [.. Enumerable.Range(0, workers).Select(i => new Thread(Work) { IsBackground = true, Name = $"batch-prefetch-{i}" })];
        foreach (var worker in this.workers)
            worker.Start();
    }

    /// <summary>Items handed out so far (the index of the next one).</summary>
    public long Taken => nextToTake;

    /// <summary>The next item in index order; rethrows what producing it threw.</summary>
    public T Next()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (nextToTake >= count)
            throw new InvalidOperationException($"All {count} items were taken.");
        if (workers.Length == 0)
            return produce(nextToTake++);
        (T Value, ExceptionDispatchInfo? Error) item;
        lock (gate)
        {
            while (!ready.Remove(nextToTake, out item))
                Monitor.Wait(gate);
            nextToTake++;
            Monitor.PulseAll(gate);
        }
        item.Error?.Throw();
        return item.Value;
    }

    void Work()
    {
        while (true)
        {
            long index;
            lock (gate)
            {
                while (!disposed && nextToClaim < count && nextToClaim - nextToTake >= ahead)
                    Monitor.Wait(gate);
                if (disposed || nextToClaim >= count)
                    return;
                index = nextToClaim++;
            }
            (T, ExceptionDispatchInfo?) item;
            try
            {
                item = (produce(index), null);
            }
            catch (Exception e)
            {
                item = (default!, ExceptionDispatchInfo.Capture(e));
            }
            lock (gate)
            {
                ready[index] = item;
                Monitor.PulseAll(gate);
            }
        }
    }

    /// <summary>Stops the workers (an item in production is finished first) and waits for them.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (disposed)
                return;
            disposed = true;
            Monitor.PulseAll(gate);
        }
        foreach (var worker in workers)
            worker.Join();
    }
}
