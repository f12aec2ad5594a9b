namespace NpEdit.Core.Tracking;

/// <summary>A row of <c>npedit.runs</c>.</summary>
public sealed record RunRecord(
    Guid Id,
    long ExperimentId,
    string? Name,
    string Kind,
    string Status,
    string Config,
    string ConfigHash,
    string? GitSha,
    string? Host,
    string? Device,
    string? JobId,
    string? Error,
    DateTime CreatedAt,
    DateTime? StartedAt,
    DateTime? EndedAt);
