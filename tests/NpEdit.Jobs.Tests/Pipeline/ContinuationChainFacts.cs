using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.States;
using Microsoft.Extensions.DependencyInjection;
using NpEdit.Core.Tracking;
using NpEdit.Jobs.Grids;
using NpEdit.Jobs.Hosting;
using NpEdit.Jobs.Pipeline;
using NpEdit.Jobs.Tests.Support;

namespace NpEdit.Jobs.Tests.Pipeline;

/// <summary>
/// The train → generate → evaluate → report chain on a real Hangfire server and database. The stages are the
/// test's own (the real trainer takes minutes): they log metrics as a trainer does and record the order they ran in.
/// </summary>
public sealed class ContinuationChainFacts : IAsyncLifetime
{
    private readonly JobsDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task Chain_RunsEachLinkAfterThePreviousSucceeded_AndEndsWithTheReport()
    {
        var stages = new RecordingStages(_db, failTraining: false);
        var submitted = await SubmitDemoGridAsync();
        var run = (await new GridStore(_db.DataSource).RunsAsync(submitted.GridId))[0];

        using (StartServer(stages))
            await WaitUntilAsync(async () => (await new GridStore(_db.DataSource).GetAsync(submitted.GridId))!.ReportPath is not null);

        Assert.Equal([$"train {run.RunId}", $"generate {run.RunId}", $"evaluate {run.RunId}"], stages.Calls);
        Assert.Equal("finished", (await new RunStore(_db.DataSource).GetAsync(run.RunId))!.Status);
        var report = await File.ReadAllTextAsync((await new GridStore(_db.DataSource).GetAsync(submitted.GridId))!.ReportPath!);
        Assert.Contains("| seed=0 | finished | 3 | 0.125 |", report);
    }

    [Fact]
    public async Task Chain_StopsAtAFailedTraining_AndTheRunSaysWhy()
    {
        var stages = new RecordingStages(_db, failTraining: true);
        var submitted = await SubmitDemoGridAsync();
        var run = (await new GridStore(_db.DataSource).RunsAsync(submitted.GridId))[0];

        using (StartServer(stages))
            await WaitUntilAsync(() => Task.FromResult(_db.Storage.GetMonitoringApi().FailedCount() == 1));

        Assert.Equal([$"train {run.RunId}"], stages.Calls);
        var failed = (await new RunStore(_db.DataSource).GetAsync(run.RunId))!;
        Assert.Equal("failed", failed.Status);
        Assert.Equal("the critic checkpoint is corrupt", failed.Error);
        using var jobs = _db.Storage.GetConnection();
        Assert.Equal(FailedState.StateName, jobs.GetJobData(failed.JobId!)!.State);
        Assert.Null((await new GridStore(_db.DataSource).GetAsync(submitted.GridId))!.ReportPath);
    }

    private Task<GridSubmission> SubmitDemoGridAsync() =>
        new GridSubmitter(_db.DataSource, _db.Storage, _db.Jobs).SubmitAsync(GridSpec.Load(RepoFiles.Grid("grid-demo.yaml")));

    private BackgroundJobServer StartServer(IPipelineStages stages)
    {
        var services = new ServiceCollection();
        services.AddSingleton(_db.DataSource);
        services.AddSingleton<JobStorage>(_db.Storage);
        services.AddSingleton(_db.Jobs);
        services.AddPipelineJobs();
        services.AddSingleton(stages);
        var provider = services.BuildServiceProvider();
        return new BackgroundJobServer(new BackgroundJobServerOptions
        {
            Queues = JobQueues.All,
            WorkerCount = 2,
            FilterProvider = _db.FilterProvider(),
            Activator = new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()),
            SchedulePollingInterval = TimeSpan.FromSeconds(1),
        }, _db.Storage);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the chain did not get there in 45 s");
            await Task.Delay(200);
        }
    }

    /// <summary>Stages that log a short loss curve for training and remember the order of calls.</summary>
    private sealed class RecordingStages(JobsDatabase db, bool failTraining) : IPipelineStages
    {
        private readonly List<string> _calls = [];

        public IReadOnlyList<string> Calls
        {
            get { lock (_calls) return _calls.ToList(); }
        }

        private void Record(string call)
        {
            lock (_calls) _calls.Add(call);
        }

        public async Task TrainAsync(RunRecord run, CancellationToken ct)
        {
            Record($"train {run.Id}");
            if (failTraining)
                throw new InvalidDataException("the critic checkpoint is corrupt");
            await new MetricStore(db.DataSource).LogAsync(
                [.. new[] { 0.5, 0.25, 0.125 }.Select((loss, i) => new MetricPoint(run.Id, "loss/total", i + 1, loss, DateTime.UtcNow))], ct);
        }

        public Task GenerateBenchmarkAsync(RunRecord trainRun, CancellationToken ct)
        {
            Record($"generate {trainRun.Id}");
            return Task.CompletedTask;
        }

        public Task EvaluateAsync(RunRecord trainRun, CancellationToken ct)
        {
            Record($"evaluate {trainRun.Id}");
            return Task.CompletedTask;
        }

        public Task BuildDatasetUnitAsync(long datasetId, int unit, CancellationToken ct) => throw new NotSupportedException();
        public Task FinalizeDatasetAsync(long datasetId, CancellationToken ct) => throw new NotSupportedException();
        public Task PretrainAsync(RunRecord run, CancellationToken ct) => throw new NotSupportedException();
    }
}
