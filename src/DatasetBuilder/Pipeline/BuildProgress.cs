namespace NpEdit.DatasetBuilder.Pipeline;

/// <summary>Live counters of an in-process build, read by the CLI's progress bar (thread-safe).</summary>
public sealed class BuildProgress
{
    private long _imagesTotal, _imagesDone, _rows, _unitsDone, _unitsTotal;

    public long ImagesTotal => Interlocked.Read(ref _imagesTotal);
    public long ImagesDone => Interlocked.Read(ref _imagesDone);
    public long Rows => Interlocked.Read(ref _rows);
    public long UnitsDone => Interlocked.Read(ref _unitsDone);
    public long UnitsTotal => Interlocked.Read(ref _unitsTotal);

    internal void AddUnits(long units, long images)
    {
        Interlocked.Add(ref _unitsTotal, units);
        Interlocked.Add(ref _imagesTotal, images);
    }

    internal void ImageDone(int rows)
    {
        Interlocked.Increment(ref _imagesDone);
        Interlocked.Add(ref _rows, rows);
    }

    internal void UnitDone() => Interlocked.Increment(ref _unitsDone);
}
