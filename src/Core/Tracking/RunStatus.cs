namespace NpEdit.Core.Tracking;

/// <summary>Lifecycle of a run; stored as lower-case text in <c>npedit.runs.status</c>.</summary>
public enum RunStatus
{
    Queued,
    Running,
    Finished,
    Failed,
    Cancelled,
}
