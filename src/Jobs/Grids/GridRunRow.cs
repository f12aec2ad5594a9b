namespace NpEdit.Jobs.Grids;

/// <summary>One grid point's run as <c>npedit grid status</c> and the reports show it.</summary>
public sealed record GridRunRow(Guid RunId, string? Name, string Point, string ConfigHash, string Status, string? JobId, string? Error,
    long? Step, DateTime? StartedAt, DateTime? EndedAt);
