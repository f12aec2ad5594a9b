namespace NpEdit.DatasetBuilder.Manifest;

/// <summary>What <c>npedit dataset status</c> shows, all computed in SQL from the manifest.</summary>
public sealed record DatasetStatus(
    long Id, string Name, string Status, string OutputDir, int UnitsTotal, int UnitsFinished, int UnitsFailed, long Rows, long Bytes,
    long ImagesIn, long ImagesSkipped, long Requests, long RequestsSent, long CacheHits, long InputTokens, long OutputTokens,
    double MeanLatencyMs, double ElapsedSeconds, IReadOnlyDictionary<string, long> FailuresByKind, IReadOnlyDictionary<string, long> RowsByType,
    IReadOnlyDictionary<string, long> SkipsByReason, long Rejects, int? ExactDuplicates, double? NearDuplicateRate)
{
    /// <summary>Instructions the validity check called invalid, over the finished units.</summary>
    public long InvalidInstructions { get; init; }

    /// <summary>Images the prominent-object check found without one central object, over the finished units.</summary>
    public long NotProminentImages { get; init; }

    /// <summary>Rows per second of wall time since the dataset was created (to its finish, or now).</summary>
    public double RowsPerSecond => ElapsedSeconds > 0 ? Rows / ElapsedSeconds : 0;
}
