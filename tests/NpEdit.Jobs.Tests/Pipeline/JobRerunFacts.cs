using Dapper;
using NpEdit.Core.Tracking;
using NpEdit.Jobs.Grids;
using NpEdit.Jobs.Pipeline;
using NpEdit.Jobs.Pipeline.Jobs;
using NpEdit.Jobs.Tests.Support;

namespace NpEdit.Jobs.Tests.Pipeline;

/// <summary>Every job is safe to rerun: the second run leaves the database exactly as the first left it.</summary>
public sealed class JobRerunFacts : IAsyncLifetime
{
    private readonly JobsDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    private async Task<long> StoreGridAsync(string file) =>
        await new GridStore(_db.DataSource).UpsertAsync(GridSpec.Load(RepoFiles.Grid(file)));

    private async Task AssertSecondRunChangesNothing(Func<Task> job)
    {
        await job();
        var once = await DatabaseState.CaptureAsync(_db.DataSource);
        await job();
        Assert.Equal(once, await DatabaseState.CaptureAsync(_db.DataSource));
    }

    [Fact]
    public async Task ExpandGrid_Twice()
    {
        var gridId = await StoreGridAsync("grid-table4-sft.yaml");
        var job = new ExpandGridJob(new GridSubmitter(_db.DataSource, _db.Storage, _db.Jobs));

        await AssertSecondRunChangesNothing(() => job.RunAsync(gridId, null, CancellationToken.None));

        Assert.Equal(6, (await new GridStore(_db.DataSource).RunsAsync(gridId)).Count);
    }

    [Fact]
    public async Task ReportGrid_Twice_WritesTheSameReport()
    {
        var gridId = await StoreGridAsync("grid-demo.yaml");
        await new GridSubmitter(_db.DataSource, _db.Storage, _db.Jobs).SubmitAsync(gridId);
        var run = (await new GridStore(_db.DataSource).RunsAsync(gridId))[0];
        await new MetricStore(_db.DataSource).LogAsync(
            [new MetricPoint(run.RunId, "loss/total", 10, 0.5, DateTime.UtcNow), new MetricPoint(run.RunId, "loss/total", 20, 0.25, DateTime.UtcNow)]);
        var job = new ReportGridJob(new GridReporter(_db.DataSource));
        string? first = null;

        await AssertSecondRunChangesNothing(async () =>
        {
            await job.RunAsync(gridId, null, CancellationToken.None);
            var path = (await new GridStore(_db.DataSource).GetAsync(gridId))!.ReportPath!;
            var text = await File.ReadAllTextAsync(path);
            Assert.Equal(first ?? text, text);
            first = text;
        });

        Assert.Contains("| seed=0 | queued | 20 | 0.25 |", first);
    }

    [Fact]
    public async Task TrainRun_Twice_OnAFinishedRun_LeavesItAlone()
    {
        var (run, _) = await new RunStore(_db.DataSource).CreateOrGetAsync(new NewRun("rerun", "train", Config("""{"x": 1}""")));
        await new RunStore(_db.DataSource).SetStatusAsync(run.Id, RunStatus.Finished);
        var job = new TrainRunJob(_db.DataSource, new LibraryStages(_db.DataSource));

        await AssertSecondRunChangesNothing(() => job.RunAsync(run.Id, null, CancellationToken.None));

        Assert.Equal("finished", (await new RunStore(_db.DataSource).GetAsync(run.Id))!.Status);
    }

    [Fact]
    public async Task FinalizeDataset_Twice_OnAFinishedDataset_LeavesItAlone()
    {
        var datasetId = await InsertDatasetAsync("finished", unitStatuses: ["finished", "finished"]);
        var job = new FinalizeDatasetJob(_db.DataSource, new LibraryStages(_db.DataSource));

        await AssertSecondRunChangesNothing(() => job.RunAsync(datasetId, null, CancellationToken.None));
    }

    [Fact]
    public async Task FinalizeDataset_IsEnqueuedOnce_WhenManyLastUnitsFinishTogether()
    {
        var datasetId = await InsertDatasetAsync("building", unitStatuses: ["finished", "finished", "finished"]);

        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            BuildDatasetUnitJob.EnqueueFinalizeOnceAsync(_db.DataSource, _db.Jobs, datasetId, CancellationToken.None)));

        var enqueued = Assert.Single(ids, id => id is not null);
        await using var conn = await _db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%FinalizeDatasetJob%'"));
        Assert.Equal(enqueued, await new JobTriggers(_db.DataSource).JobIdAsync(BuildDatasetUnitJob.FinalizeKey(datasetId)));
    }

    [Fact]
    public async Task A_StageMissingFromTheBuild_FailsTheRunWithAMessageSayingSo()
    {
        var (run, _) = await new RunStore(_db.DataSource).CreateOrGetAsync(new NewRun("missing", "pretrain-unknown", Config("""{"x": 2}""")));
        var job = new PretrainRunJob(_db.DataSource, new LibraryStages(_db.DataSource));

        var e = await Assert.ThrowsAsync<StageUnavailableException>(() => job.RunAsync(run.Id, null, CancellationToken.None));

        var failed = (await new RunStore(_db.DataSource).GetAsync(run.Id))!;
        Assert.Equal("failed", failed.Status);
        Assert.Equal(e.Message, failed.Error);
        Assert.Contains("pretrain-unknown", e.Message);
    }

    private static System.Text.Json.Nodes.JsonObject Config(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();

    private async Task<long> InsertDatasetAsync(string status, string[] unitStatuses)
    {
        await using var conn = await _db.DataSource.OpenConnectionAsync();
        var id = await conn.ExecuteScalarAsync<long>("""
            INSERT INTO npedit.datasets (name, config, config_hash, output_dir, status)
            VALUES (@name, '{}', 'h', '/tmp/x', @status) RETURNING id
            """, new { name = $"ds-{Guid.NewGuid():N}", status });
        for (var u = 0; u < unitStatuses.Length; u++)
            await conn.ExecuteAsync("INSERT INTO npedit.dataset_units (dataset_id, unit, input, status) VALUES (@id, @u, 'in', @s)",
                new { id, u, s = unitStatuses[u] });
        return id;
    }
}
