using Hangfire;
using Hangfire.Server;
using NpEdit.Jobs.Grids;
using NpEdit.Jobs.Hosting;

namespace NpEdit.Jobs.Pipeline.Jobs;

/// <summary>Expands a stored grid into runs and queues their chains; repeating it queues nothing new.</summary>
public sealed class ExpandGridJob(GridSubmitter submitter)
{
    [Queue(JobQueues.Default)]
    [JobDisplayName("Expand grid {0}")]
    [AutomaticRetry(Attempts = 2)]
    public async Task RunAsync(long gridId, PerformContext? context, CancellationToken ct)
    {
        var result = await submitter.SubmitAsync(gridId, ct);
        new JobProgress(context).Report($"{result.Points} points: {result.Created} new runs, {result.Queued} queued, " +
                                        $"{result.AlreadyFinished} finished, {result.AlreadyQueued} already queued");
    }
}
