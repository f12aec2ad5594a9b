namespace NpEdit.DatasetBuilder.Vlm;

/// <summary>
/// Group commit: each caller adds one item and awaits its own result; one runner sends everything that queued up
/// while the previous batch was out as a single round trip. There is no timer: a lone item on an idle queue goes at
/// once, and under load the round trip is shared by the whole batch (64 requests in flight then cost a handful of
/// PostgreSQL statements and connections, not 64). A failed batch fails every item in it and no other.
/// </summary>
internal sealed class BatchQueue<TItem, TResult>(Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> send, int maxBatch)
{
    private readonly Lock _gate = new();
    private List<(TItem Item, TaskCompletionSource<TResult> Done)> _pending = [];
    private bool _running;
    private int _batches;

    /// <summary>Batches sent so far (for tests and the benchmark).</summary>
    public int Batches => Volatile.Read(ref _batches);

    public Task<TResult> AddAsync(TItem item)
    {
        // Continuations run on the thread pool, not on the runner, so the next batch never waits on a caller's work.
        var done = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _pending.Add((item, done));
            start = !_running;
            _running = true;
        }
        if (start)
            _ = Task.Run(RunAsync);
        return done.Task;
    }

    private async Task RunAsync()
    {
        while (true)
        {
            List<(TItem Item, TaskCompletionSource<TResult> Done)> batch;
            lock (_gate)
            {
                if (_pending.Count == 0)
                {
                    _running = false;
                    return;
                }
                if (_pending.Count <= maxBatch)
                    (batch, _pending) = (_pending, []);
                else
                {
                    batch = _pending.GetRange(0, maxBatch);
                    _pending.RemoveRange(0, maxBatch);
                }
            }
            Interlocked.Increment(ref _batches);
            try
            {
                var results = await send(batch.Select(b => b.Item).ToList());
                if (results.Count != batch.Count)
                    throw new InvalidOperationException($"A batch of {batch.Count} items came back with {results.Count} results.");
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Done.TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                foreach (var (_, done) in batch)
                    done.TrySetException(e);
            }
        }
    }
}
