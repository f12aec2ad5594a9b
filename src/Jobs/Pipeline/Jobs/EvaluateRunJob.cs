using Hangfire;
using Hangfire.Server;
using Npgsql;
using NpEdit.Jobs.Hosting;

namespace NpEdit.Jobs.Pipeline.Jobs;

/// <summary>Scores a run's benchmark outputs (continuation of <see cref="GenerateBenchmarkJob"/>); on the vlm queue because judges may be endpoints.</summary>
public sealed class EvaluateRunJob(NpgsqlDataSource dataSource, IPipelineStages stages)
{
    [Queue(JobQueues.Vlm)]
    [JobDisplayName("Evaluate run {0}")]
    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(Guid runId, PerformContext? context, CancellationToken ct)
    {
        var progress = new JobProgress(context);
        progress.Report("evaluating");
        await stages.EvaluateAsync(await TrainedRun.LoadAsync(dataSource, runId, ct), ct);
        progress.Report("evaluated");
    }
}
