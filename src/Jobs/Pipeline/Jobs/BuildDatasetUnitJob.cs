using Dapper;
using Hangfire;
using Hangfire.Server;
using Npgsql;
using NpEdit.Jobs.Hosting;

namespace NpEdit.Jobs.Pipeline.Jobs;

/// <summary>
/// Builds one dataset unit; whichever unit finishes last enqueues <see cref="FinalizeDatasetJob"/>, once, through
/// <see cref="JobTriggers"/> (Hangfire batches are Pro-only and have no PostgreSQL storage).
/// </summary>
public sealed class BuildDatasetUnitJob(NpgsqlDataSource dataSource, IPipelineStages stages, IBackgroundJobClient jobs)
{
    [Queue(JobQueues.Vlm)]
    [JobDisplayName("Build dataset {0} unit {1}")]
    [AutomaticRetry(Attempts = 3)]
    public async Task RunAsync(long datasetId, int unit, PerformContext? context, CancellationToken ct)
    {
        var progress = new JobProgress(context);
        progress.Report($"building unit {unit}");
        await stages.BuildDatasetUnitAsync(datasetId, unit, ct);
        var remaining = await RemainingUnitsAsync(datasetId, ct);
        progress.Report(remaining == 0 ? "built; last unit, finalising the dataset" : $"built; {remaining} unit(s) of the dataset left");
        if (remaining == 0)
            await EnqueueFinalizeOnceAsync(dataSource, jobs, datasetId, ct);
    }

    /// <summary>Enqueues the dataset's finalisation unless it was enqueued before; returns the new job id or null.</summary>
    public static Task<string?> EnqueueFinalizeOnceAsync(NpgsqlDataSource dataSource, IBackgroundJobClient jobs, long datasetId, CancellationToken ct) =>
        new JobTriggers(dataSource).EnqueueOnceAsync(FinalizeKey(datasetId),
            () => jobs.Enqueue<FinalizeDatasetJob>(JobQueues.Default, j => j.RunAsync(datasetId, null, CancellationToken.None)), ct);

    public static string FinalizeKey(long datasetId) => $"finalize-dataset:{datasetId}";

    private async Task<long> RemainingUnitsAsync(long datasetId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT count(*) FROM npedit.dataset_units WHERE dataset_id = @datasetId AND status <> 'finished'",
            new { datasetId }, cancellationToken: ct));
    }
}
