using Hangfire;
using Hangfire.Server;
using Npgsql;
using NpEdit.Jobs.Hosting;

namespace NpEdit.Jobs.Pipeline.Jobs;

/// <summary>Runs a trained editor over ShapesWorld-Bench (continuation of <see cref="TrainRunJob"/>); finished items are skipped.</summary>
public sealed class GenerateBenchmarkJob(NpgsqlDataSource dataSource, IPipelineStages stages)
{
    [Queue(JobQueues.Gpu)]
    [JobDisplayName("Generate benchmark for run {0}")]
    [AutomaticRetry(Attempts = 1)]
    public async Task RunAsync(Guid runId, PerformContext? context, CancellationToken ct)
    {
        var progress = new JobProgress(context);
        progress.Report("generating");
        await stages.GenerateBenchmarkAsync(await TrainedRun.LoadAsync(dataSource, runId, ct), ct);
        progress.Report("generated");
    }
}
