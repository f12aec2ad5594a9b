using Dapper;
using Hangfire;
using Npgsql;
using NpEdit.Jobs.Hosting;
using NpEdit.Jobs.Pipeline.Jobs;

namespace NpEdit.Jobs.Pipeline;

/// <summary>
/// Queues a prepared dataset's unfinished units as <see cref="BuildDatasetUnitJob"/>s (the last one to finish
/// enqueues the finalisation); a dataset whose units are all done gets its finalisation queued directly.
/// </summary>
public sealed class DatasetSubmitter(NpgsqlDataSource dataSource, IBackgroundJobClient jobs)
{
    /// <summary>Returns how many unit jobs were queued.</summary>
    public async Task<int> SubmitAsync(long datasetId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var pending = (await conn.QueryAsync<int>(new CommandDefinition(
            "SELECT unit FROM npedit.dataset_units WHERE dataset_id = @datasetId AND status <> 'finished' ORDER BY unit",
            new { datasetId }, cancellationToken: ct))).AsList();
        foreach (var unit in pending)
            jobs.Enqueue<BuildDatasetUnitJob>(JobQueues.Vlm, j => j.RunAsync(datasetId, unit, null, CancellationToken.None));
        if (pending.Count == 0)
            await BuildDatasetUnitJob.EnqueueFinalizeOnceAsync(dataSource, jobs, datasetId, ct);
        return pending.Count;
    }
}
