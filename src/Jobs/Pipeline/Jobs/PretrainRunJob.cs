using Hangfire;
using Hangfire.Server;
using Npgsql;
using NpEdit.Jobs.Hosting;

namespace NpEdit.Jobs.Pipeline.Jobs;

/// <summary>Pretrains G_init or the critic for a <c>pretrain-*</c> run row; a finished run is reused as is.</summary>
public sealed class PretrainRunJob(NpgsqlDataSource dataSource, IPipelineStages stages)
{
    [Queue(JobQueues.Gpu)]
    [JobDisplayName("Pretrain run {0}")]
    [AutomaticRetry(Attempts = 1)]
    public Task RunAsync(Guid runId, PerformContext? context, CancellationToken ct) =>
        new RunLifecycle(dataSource).ExecuteAsync(runId, new JobProgress(context), stages.PretrainAsync, ct);
}
