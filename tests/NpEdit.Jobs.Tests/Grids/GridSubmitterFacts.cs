using Dapper;
using Hangfire;
using Hangfire.States;
using Hangfire.Storage;
using NpEdit.Jobs.Grids;
using NpEdit.Jobs.Hosting;
using NpEdit.Jobs.Pipeline.Jobs;
using NpEdit.Jobs.Tests.Support;

namespace NpEdit.Jobs.Tests.Grids;

public sealed class GridSubmitterFacts : IAsyncLifetime
{
    private readonly JobsDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    private GridSubmitter Submitter => new(_db.DataSource, _db.Storage, _db.Jobs);

    [Fact]
    public async Task Submit_CreatesOneRunPerPoint_AndQueuesTrainGenerateEvaluateReport_ForEach()
    {
        var spec = GridSpec.Load(RepoFiles.Grid("grid-table4-data-scale.yaml"));

        var result = await Submitter.SubmitAsync(spec);

        Assert.Equal((9, 9, 9), (result.Points, result.Created, result.Queued));
        await using var conn = await _db.DataSource.OpenConnectionAsync();
        var runs = (await conn.QueryAsync<(Guid Id, string JobId, string Fraction)>("""
            SELECT r.id, r.job_id, p.value FROM npedit.runs r
            JOIN npedit.run_params p ON p.run_id = r.id AND p.key = 'data.fraction' ORDER BY r.name
            """)).AsList();
        Assert.Equal(["0.01", "0.01", "0.01", "0.5", "0.5", "0.5", "1", "1", "1"], runs.Select(r => r.Fraction));

        using var jobs = _db.Storage.GetConnection();
        foreach (var run in runs)
        {
            var chain = Chain(jobs, run.JobId);
            Assert.Equal([nameof(TrainRunJob), nameof(GenerateBenchmarkJob), nameof(EvaluateRunJob), nameof(ReportGridJob)],
                chain.Select(c => c.Job.Job.Type.Name));
            Assert.Equal([EnqueuedState.StateName, AwaitingState.StateName, AwaitingState.StateName, AwaitingState.StateName],
                chain.Select(c => c.Job.State));
            Assert.Equal([JobQueues.Gpu, JobQueues.Gpu, JobQueues.Vlm, JobQueues.Report], chain.Select(c => c.Queue));
            Assert.All(chain.Take(3), c => Assert.Equal(run.Id, c.Job.Job.Args[0]));
            Assert.Equal(result.GridId, chain[3].Job.Job.Args[0]);
        }
    }

    [Fact]
    public async Task Resubmitting_InsertsNothing_AndQueuesNothing_WhileTheRunsAreQueued()
    {
        var spec = GridSpec.Load(RepoFiles.Grid("grid-table3-objective.yaml"));
        await Submitter.SubmitAsync(spec);
        var before = await DatabaseState.CaptureAsync(_db.DataSource);

        var again = await Submitter.SubmitAsync(GridSpec.Load(RepoFiles.Grid("grid-table3-objective.yaml")));

        Assert.Equal((15, 0, 0, 15), (again.Points, again.Created, again.Queued, again.AlreadyQueued));
        Assert.Equal(before, await DatabaseState.CaptureAsync(_db.DataSource));
    }

    [Fact]
    public async Task Resubmitting_RequeuesOnlyTheFailedRun_AndSkipsFinishedOnes()
    {
        var first = await Submitter.SubmitAsync(GridSpec.Load(RepoFiles.Grid("grid-table4-critic-size.yaml")));
        var runs = await new GridStore(_db.DataSource).RunsAsync(first.GridId);
        await using (var conn = await _db.DataSource.OpenConnectionAsync())
        {
            // What workers and a user leave behind: one run finished; one failed and its job was deleted on the dashboard.
            await conn.ExecuteAsync("UPDATE npedit.runs SET status = 'finished' WHERE id = @id", new { id = runs[0].RunId });
            await conn.ExecuteAsync("UPDATE npedit.runs SET status = 'failed' WHERE id = @id", new { id = runs[1].RunId });
        }
        Assert.True(_db.Jobs.Delete(runs[1].JobId!));

        var again = await Submitter.SubmitAsync(first.GridId);

        Assert.Equal((6, 0, 1, 1, 4), (again.Points, again.Created, again.Queued, again.AlreadyFinished, again.AlreadyQueued));
        var after = await new GridStore(_db.DataSource).RunsAsync(first.GridId);
        Assert.NotEqual(runs[1].JobId, after[1].JobId);
        Assert.Equal(runs[2].JobId, after[2].JobId);
    }

    [Fact]
    public async Task SftPlusOurs_TrainsAfterTheSftRunOfItsSeed_AndIsRequeuedAfterItWhenThatRunIsRequeued()
    {
        var first = await Submitter.SubmitAsync(GridSpec.Load(RepoFiles.Grid("grid-table4-sft.yaml")));
        var runs = (await new GridStore(_db.DataSource).RunsAsync(first.GridId)).ToDictionary(r => r.Name!);
        Assert.Equal((6, 6), (first.Points, first.Queued));

        using (var jobs = _db.Storage.GetConnection())
        {
            foreach (var seed in new[] { 0, 1, 2 })
            {
                var (sft, ours) = (runs[$"sft seed={seed}"], runs[$"sft_plus_ours seed={seed}"]);
                Assert.Equal(EnqueuedState.StateName, jobs.GetJobData(sft.JobId!)!.State);
                Assert.Equal(AwaitingState.StateName, jobs.GetJobData(ours.JobId!)!.State);
                Assert.Equal(sft.JobId, jobs.GetStateData(ours.JobId!)!.Data["ParentId"]);
                Assert.Equal([nameof(TrainRunJob), nameof(GenerateBenchmarkJob), nameof(EvaluateRunJob), nameof(ReportGridJob)],
                    Chain(jobs, ours.JobId!).Select(c => c.Job.Job.Type.Name));
            }
        }
        var unchanged = await Submitter.SubmitAsync(first.GridId);
        Assert.Equal((0, 6), (unchanged.Queued, unchanged.AlreadyQueued));

        // The sft run of seed 1 failed and its job was deleted; its sft_plus_ours run would wait on that job forever.
        await using (var conn = await _db.DataSource.OpenConnectionAsync())
            await conn.ExecuteAsync("UPDATE npedit.runs SET status = 'failed' WHERE id = @id", new { id = runs["sft seed=1"].RunId });
        Assert.True(_db.Jobs.Delete(runs["sft seed=1"].JobId!));

        var again = await Submitter.SubmitAsync(first.GridId);

        Assert.Equal((2, 4), (again.Queued, again.AlreadyQueued));
        var after = (await new GridStore(_db.DataSource).RunsAsync(first.GridId)).ToDictionary(r => r.Name!);
        using (var jobs = _db.Storage.GetConnection())
        {
            Assert.Equal(after["sft seed=1"].JobId, jobs.GetStateData(after["sft_plus_ours seed=1"].JobId!)!.Data["ParentId"]);
            Assert.Equal(DeletedState.StateName, jobs.GetJobData(runs["sft_plus_ours seed=1"].JobId!)!.State);
            Assert.Equal(runs["sft_plus_ours seed=2"].JobId, after["sft_plus_ours seed=2"].JobId);
        }
    }

    [Fact]
    public async Task ASpecChangedInCode_IsStoredAsChanged_SoTheExpandJobSeesTheSameRuns()
    {
        var spec = GridSpec.Load(RepoFiles.Grid("grid-demo.yaml"));
        var overrides = (System.Text.Json.Nodes.JsonObject)spec.Overrides.DeepClone();
        overrides["generator.init"] = "/elsewhere/g_init.safetensors";
        spec = spec with { Name = "demo-elsewhere", Overrides = overrides };

        var first = await Submitter.SubmitAsync(spec);
        await new ExpandGridJob(Submitter).RunAsync(first.GridId, null, CancellationToken.None);

        var run = Assert.Single(await new GridStore(_db.DataSource).RunsAsync(first.GridId));
        var config = (await new NpEdit.Core.Tracking.RunStore(_db.DataSource).GetAsync(run.RunId))!.Config;
        Assert.Contains("/elsewhere/g_init.safetensors", config);
        Assert.Equal(GridExpander.Expand(spec)[0].Hash, (await new NpEdit.Core.Tracking.RunStore(_db.DataSource).GetAsync(run.RunId))!.ConfigHash);
    }

    private static List<(JobData Job, string Queue)> Chain(IStorageConnection jobs, string first)
    {
        var chain = new List<(JobData, string)>();
        string? id = first;
        while (id is not null)
        {
            var data = jobs.GetJobData(id)!;
            var state = jobs.GetStateData(id)!;
            // An awaiting job carries the state it enters when its parent succeeds (EnqueuedState with the queue).
            var queue = state.Name == AwaitingState.StateName
                ? System.Text.Json.JsonDocument.Parse(state.Data["NextState"]).RootElement.GetProperty("Queue").GetString()!
                : state.Data["Queue"];
            chain.Add((data, queue));
            var continuations = jobs.GetJobParameter(id, "Continuations");
            id = continuations is null or "[]" ? null
                : System.Text.Json.JsonDocument.Parse(continuations).RootElement[0].GetProperty("JobId").GetString();
        }
        return chain;
    }
}
