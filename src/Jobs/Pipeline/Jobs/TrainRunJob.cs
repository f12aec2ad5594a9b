using Hangfire;
using Hangfire.Server;
using Npgsql;
using NpEdit.Jobs.Hosting;

namespace NpEdit.Jobs.Pipeline.Jobs;

/// <summary>Trains one NP-Edit run (a grid point); the first link of train → generate → evaluate → report.</summary>
public sealed class TrainRunJob(NpgsqlDataSource dataSource, IPipelineStages stages)
{
    [Queue(JobQueues.Gpu)]
    [JobDisplayName("Train run {0}")]
    [AutomaticRetry(Attempts = 1)]
    public Task RunAsync(Guid runId, PerformContext? context, CancellationToken ct) =>
        new RunLifecycle(dataSource).ExecuteAsync(runId, new JobProgress(context), stages.TrainAsync, ct);
}
