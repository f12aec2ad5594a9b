using Dapper;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using Npgsql;
using NpEdit.Core.Tracking;
using NpEdit.Jobs.Pipeline;

namespace NpEdit.Jobs.Grids;

/// <summary>
/// Expands a stored grid, registers its runs and queues the train → generate → evaluate → report chain for every
/// run that is neither finished nor already queued; a run that continues another variant's editor
/// (<see cref="GridPoint.After"/>) starts training after that run's training. Safe to repeat: a second submission of
/// an unchanged grid creates no run and queues nothing.
/// </summary>
public sealed class GridSubmitter(NpgsqlDataSource dataSource, JobStorage storage, IBackgroundJobClient jobs)
{
    private static readonly HashSet<string> LiveStates =
        [EnqueuedState.StateName, ProcessingState.StateName, AwaitingState.StateName, ScheduledState.StateName];

    /// <summary>Stores the grid file and submits it.</summary>
    public async Task<GridSubmission> SubmitAsync(GridSpec spec, CancellationToken ct = default)
    {
        // Expanding first means a bad key is reported before anything is written.
        GridExpander.Expand(spec);
        var gridId = await new GridStore(dataSource).UpsertAsync(spec, ct);
        return await SubmitAsync(gridId, ct);
    }

    /// <summary>Submits the grid as stored (what the ExpandGrid job runs).</summary>
    public async Task<GridSubmission> SubmitAsync(long gridId, CancellationToken ct = default)
    {
        var store = new GridStore(dataSource);
        var grid = await store.GetAsync(gridId, ct) ?? throw new InvalidOperationException($"Grid {gridId} does not exist.");
        var spec = GridSpec.Parse(grid.Spec, grid.SourcePath);
        var points = GridExpander.Expand(spec);

        // Concurrent submissions of one grid queue each run once: they take turns on the grid row. NO KEY UPDATE
        // still lets grid_runs rows referencing the grid be inserted from other connections meanwhile.
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "SELECT 1 FROM npedit.grids WHERE id = @gridId FOR NO KEY UPDATE", new { gridId }, tx, cancellationToken: ct));

        var registered = await store.RegisterAsync(gridId, spec, points, ct);
        int queued = 0, finished = 0, live = 0;
        using var jobConnection = storage.GetConnection();
        // Runs that continue another run's editor come after it, so they can wait for its training job.
        var scheduled = new Dictionary<string, Scheduled>();
        foreach (var (point, run, _) in registered.OrderBy(r => r.Point.After is null ? 0 : 1))
        {
            var source = point.After is { } after ? scheduled[after.Hash] : null;
            if (run.Status == "finished")
            {
                finished++;
                scheduled[point.Hash] = new Scheduled(run, null, QueuedNow: false);
                continue;
            }
            // A live run waits as it is, unless the run it continues was queued again just now (its old parent job never comes).
            if (run.JobId is not null && IsLive(jobConnection, run.JobId) && source is not { QueuedNow: true })
            {
                live++;
                scheduled[point.Hash] = new Scheduled(run, run.JobId, QueuedNow: false);
                continue;
            }
            if (run.JobId is not null && source is { QueuedNow: true })
                jobs.Delete(run.JobId);
            var chain = PipelineChain.EnqueueTraining(jobs, run.Id, gridId, source is { Run.Status: not "finished" } ? source.TrainJob : null);
            await store.SetJobAsync(run.Id, chain[0], ct);
            scheduled[point.Hash] = new Scheduled(run, chain[0], QueuedNow: true);
            queued++;
        }
        await tx.CommitAsync(ct);
        return new GridSubmission(gridId, spec.Name, points.Count, registered.Count(r => r.Created), queued, finished, live);
    }

    /// <summary>A run as this submission left it: the job its training is (or was) in, and whether it was queued just now.</summary>
    private sealed record Scheduled(RunRecord Run, string? TrainJob, bool QueuedNow);

    private static bool IsLive(IStorageConnection connection, string jobId) =>
        connection.GetJobData(jobId) is { } data && LiveStates.Contains(data.State);
}
