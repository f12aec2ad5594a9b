using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace NpEdit.DatasetBuilder.Pipeline;

/// <summary>
/// Streams a unit's images through its pipeline: the next image is read only once an image slot is free, so
/// read-ahead and memory are bounded by <see cref="ImageSlots"/>, and each image is prepared and annotated on the
/// thread pool while the following ones are read. The first requests therefore go out with the first image, not
/// after the whole slice is in memory. The first failure, of the input or of an image, stops the rest; the feed
/// returns only once nothing it started is running any more, so a failed unit leaves no work behind.
/// </summary>
public static class ImageFeed
{
    /// <summary>
    /// Calls <paramref name="process"/> with each item's position in <paramref name="source"/>; returns how many there
    /// were. <paramref name="exhausted"/> is called once the source has no more items, while the last ones may still
    /// be in flight (the build starts the next unit then).
    /// </summary>
    public static async Task<int> RunAsync<T>(IAsyncEnumerable<T> source, ImageSlots slots, Func<int, T, CancellationToken, Task> process,
        Action? exhausted, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var failures = new ConcurrentQueue<Exception>();
        var running = new List<Task>();
        var count = 0;
        try
        {
            await using var items = source.GetAsyncEnumerator(stop.Token);
            while (true)
            {
                var slot = await slots.EnterAsync(stop.Token);
                bool more;
                try
                {
                    stop.Token.ThrowIfCancellationRequested();   // a slot freed by a failing image must not read one more
                    more = await items.MoveNextAsync();
                }
                catch
                {
                    slot.Dispose();
                    throw;
                }
                if (!more)
                {
                    slot.Dispose();
                    break;
                }
                var (index, item) = (count++, items.Current);
                running.Add(Task.Run(() => RunOneAsync(index, item, slot)));
            }
            exhausted?.Invoke();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Cancelled by the caller, or stopped by an image's failure (recorded by RunOneAsync).
        }
        catch (Exception e)
        {
            Fail(e);
        }
        await Task.WhenAll(running);
        if (failures.TryPeek(out var first))
            ExceptionDispatchInfo.Throw(first);
        ct.ThrowIfCancellationRequested();
        return count;

        async Task RunOneAsync(int index, T item, IDisposable slot)
        {
            try
            {
                await process(index, item, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                Fail(e);
            }
            finally
            {
                slot.Dispose();
            }
        }

        void Fail(Exception e)
        {
            failures.Enqueue(e);
            stop.Cancel();
        }
    }
}
