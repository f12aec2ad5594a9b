namespace NpEdit.Jobs.Grids;

/// <summary>A row of <c>npedit.grids</c>.</summary>
public sealed record GridRecord(long Id, string Name, long ExperimentId, string SourcePath, string Spec,
    DateTime SubmittedAt, string? ReportPath, DateTime? ReportedAt);
