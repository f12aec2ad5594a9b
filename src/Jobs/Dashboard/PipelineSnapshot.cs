namespace NpEdit.Jobs.Dashboard;

/// <summary>What the Pipeline page shows, read in one go.</summary>
public sealed record PipelineSnapshot(
    IReadOnlyList<PipelineSnapshot.DatasetRow> Datasets,
    IReadOnlyList<PipelineSnapshot.RunRow> Runs,
    IReadOnlyList<PipelineSnapshot.GridRow> Grids,
    IReadOnlyList<PipelineSnapshot.ExecutionRow> Executions)
{
    public sealed record DatasetRow(long Id, string Name, string Status, long UnitsFinished, long Units, long Rows);

    /// <summary>A run with its newest step, newest loss values (<c>loss…</c> metrics) and ShapesWorld-Bench scores once evaluated.</summary>
    public sealed record RunRow(Guid Id, string Experiment, string? Name, string Kind, string Status, string? JobId,
        long? Step, string Losses, string Bench, DateTime? StartedAt, string? Error);

    public sealed record GridRow(long Id, string Name, long Runs, long Finished, long Failed, string? ReportPath);

    public sealed record ExecutionRow(string JobId, string JobType, string? Queue, string ServerId, string Outcome, DateTime StartedAt, DateTime? EndedAt);
}
