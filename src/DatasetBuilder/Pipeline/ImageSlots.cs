namespace NpEdit.DatasetBuilder.Pipeline;

/// <summary>
/// The images one dataset has in flight in this process, over all of its units: a unit takes a slot before it reads
/// an image and gives it back once the image's last reply is in. One budget for every unit is what lets the next
/// unit's images take over the request slots while the previous unit's last images finish, instead of each unit
/// draining the endpoint on its own; it also bounds the input bytes held in memory.
/// </summary>
public sealed class ImageSlots
{
    private readonly SemaphoreSlim _free;

    public ImageSlots(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        Count = count;
        _free = new SemaphoreSlim(count, count);
    }

    public int Count { get; }

    /// <summary>Slots taken right now.</summary>
    public int InUse => Count - _free.CurrentCount;

    /// <summary>Waits for a free slot; disposing the result gives it back (once).</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        await _free.WaitAsync(ct);
        return new Slot(_free);
    }

    private sealed class Slot(SemaphoreSlim free) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
                free.Release();
        }
    }
}
