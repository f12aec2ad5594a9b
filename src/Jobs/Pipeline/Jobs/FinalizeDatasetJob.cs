using Dapper;
using Hangfire;
using Hangfire.Server;
using Npgsql;
using NpEdit.Jobs.Hosting;

namespace NpEdit.Jobs.Pipeline.Jobs;

/// <summary>Finalises a dataset once all its units are built; a finished dataset is left alone.</summary>
public sealed class FinalizeDatasetJob(NpgsqlDataSource dataSource, IPipelineStages stages)
{
    [Queue(JobQueues.Default)]
    [JobDisplayName("Finalize dataset {0}")]
    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(long datasetId, PerformContext? context, CancellationToken ct)
    {
        var progress = new JobProgress(context);
        string? status;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            status = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
                "SELECT status FROM npedit.datasets WHERE id = @datasetId", new { datasetId }, cancellationToken: ct));
        }
        if (status is null)
            throw new InvalidOperationException($"Dataset {datasetId} does not exist (deleted after the job was queued?).");
        if (status == "finished")
        {
            progress.Report("already finished; nothing to do");
            return;
        }
        await stages.FinalizeDatasetAsync(datasetId, ct);
        progress.Report("finished");
    }
}
