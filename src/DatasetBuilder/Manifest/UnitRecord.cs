namespace NpEdit.DatasetBuilder.Manifest;

/// <summary>A unit of work as stored in <c>npedit.dataset_units</c>.</summary>
public sealed record UnitRecord(long DatasetId, int Unit, string Input, string Status, string? ShardPath, int? Rows, long? Bytes, string? Sha256)
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Failed = "failed";
}
