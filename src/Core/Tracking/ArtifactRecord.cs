namespace NpEdit.Core.Tracking;

/// <summary>A row of <c>npedit.artifacts</c>: a file a run produced (checkpoint, sample grid, report).</summary>
public sealed record ArtifactRecord(long Id, Guid RunId, string Kind, string Path, string Sha256, long Bytes, DateTime CreatedAt);
