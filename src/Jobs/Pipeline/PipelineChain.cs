using Hangfire;
using Hangfire.States;
using NpEdit.Jobs.Hosting;
using NpEdit.Jobs.Pipeline.Jobs;

namespace NpEdit.Jobs.Pipeline;

/// <summary>
/// The continuation chain of a training run: train (gpu) → generate the benchmark (gpu) → evaluate (vlm) →
/// refresh the grid report (report). Each link starts only when the previous one succeeded; a run that continues
/// another run's editor starts training when that run's training succeeded.
/// </summary>
public static class PipelineChain
{
    /// <summary>Enqueues the chain for <paramref name="runId"/> and returns the ids of its four jobs, in order.</summary>
    /// <param name="after">A job the training waits for (the training of the run whose editor this one continues), or null.</param>
    public static IReadOnlyList<string> EnqueueTraining(IBackgroundJobClient jobs, Guid runId, long gridId, string? after = null)
    {
        var train = after is null
            ? jobs.Create<TrainRunJob>(j => j.RunAsync(runId, null, CancellationToken.None), new EnqueuedState(JobQueues.Gpu))
            : jobs.ContinueJobWith<TrainRunJob>(after, j => j.RunAsync(runId, null, CancellationToken.None),
                new EnqueuedState(JobQueues.Gpu), JobContinuationOptions.OnlyOnSucceededState);
        var generate = jobs.ContinueJobWith<GenerateBenchmarkJob>(train, j => j.RunAsync(runId, null, CancellationToken.None),
            new EnqueuedState(JobQueues.Gpu), JobContinuationOptions.OnlyOnSucceededState);
        var evaluate = jobs.ContinueJobWith<EvaluateRunJob>(generate, j => j.RunAsync(runId, null, CancellationToken.None),
            new EnqueuedState(JobQueues.Vlm), JobContinuationOptions.OnlyOnSucceededState);
        var report = jobs.ContinueJobWith<ReportGridJob>(evaluate, j => j.RunAsync(gridId, null, CancellationToken.None),
            new EnqueuedState(JobQueues.Report), JobContinuationOptions.OnlyOnSucceededState);
        return [train, generate, evaluate, report];
    }
}
