using Hangfire;
using Hangfire.Server;
using NpEdit.Jobs.Grids;
using NpEdit.Jobs.Hosting;

namespace NpEdit.Jobs.Pipeline.Jobs;

/// <summary>Rewrites a grid's report from the database (the last link of every run's chain).</summary>
public sealed class ReportGridJob(GridReporter reporter)
{
    [Queue(JobQueues.Report)]
    [JobDisplayName("Report grid {0}")]
    [AutomaticRetry(Attempts = 2)]
    [DisableConcurrentExecution(timeoutInSeconds: 300)]
    public async Task RunAsync(long gridId, PerformContext? context, CancellationToken ct)
    {
        var path = await reporter.WriteAsync(gridId, ct);
        var progress = new JobProgress(context);
        progress.Set("report", path);
        progress.Report($"wrote {path}");
    }
}
