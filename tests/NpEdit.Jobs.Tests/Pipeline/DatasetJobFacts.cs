using Dapper;
using NpEdit.Core.Config;
using NpEdit.Core.Config.Dataset;
using NpEdit.DatasetBuilder;
using NpEdit.Jobs.Pipeline;
using NpEdit.Jobs.Pipeline.Jobs;
using NpEdit.Jobs.Tests.Support;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.Testing;

namespace NpEdit.Jobs.Tests.Pipeline;

/// <summary>
/// The dataset jobs on the real DatasetBuilder against the ShapesWorld annotator (a real HTTP server): each unit
/// job and the finalize job run twice leave the database as once, and the last unit enqueues finalize exactly once.
/// </summary>
public sealed class DatasetJobFacts : IAsyncLifetime
{
    private readonly JobsDatabase _db = new();
    private readonly TempDirectory _dir = new("npedit-jobs-dataset");

    public async Task InitializeAsync() => await _db.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task UnitAndFinalizeJobs_RunTwice_LeaveTheSameState_AndFinalizeIsEnqueuedOnce()
    {
        var corpus = Path.Combine(_dir.Path, "corpus");
        await CorpusWriter.WriteAsync(new CorpusOptions(12, 64, 11, corpus) { RowsPerShard = 12 });
        var registry = new SceneRegistry();
        await registry.LoadDirectoryAsync(corpus);
        await using var annotator = await AnnotatorServer.StartAsync(new AnnotatorOptions(registry) { Seed = 5 });
        var config = ConfigLoader.Resolve<DatasetConfig>(null, sets:
        [
            "name=jobs-test", $"output_dir={Path.Combine(_dir.Path, "dataset")}", "input.kind=shapes_world", $"input.path={corpus}",
            "input.images_per_unit=4", $"vlm.endpoints=shapesworld-annotator@{annotator.BaseAddress}",
        ]);
        using var build = new DatasetBuild(_db.DataSource);
        var datasetId = await build.PrepareAsync(config);
        using var stages = new LibraryStages(_db.DataSource);
        var unitJob = new BuildDatasetUnitJob(_db.DataSource, stages, _db.Jobs);

        for (var unit = 0; unit < 3; unit++)
        {
            await unitJob.RunAsync(datasetId, unit, null, CancellationToken.None);
            var once = await DatabaseState.CaptureAsync(_db.DataSource);
            var requests = annotator.RequestCount;
            await unitJob.RunAsync(datasetId, unit, null, CancellationToken.None);
            Assert.Equal(once, await DatabaseState.CaptureAsync(_db.DataSource));
            Assert.Equal(requests, annotator.RequestCount);
        }

        await using var conn = await _db.DataSource.OpenConnectionAsync();
        Assert.Equal(1, await conn.ExecuteScalarAsync<long>(
            "SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%FinalizeDatasetJob%'"));
        var finalize = new FinalizeDatasetJob(_db.DataSource, stages);
        await finalize.RunAsync(datasetId, null, CancellationToken.None);
        var finished = await DatabaseState.CaptureAsync(_db.DataSource);
        await finalize.RunAsync(datasetId, null, CancellationToken.None);
        Assert.Equal(finished, await DatabaseState.CaptureAsync(_db.DataSource));
        Assert.Equal("finished", await conn.ExecuteScalarAsync<string>("SELECT status FROM npedit.datasets WHERE id = @datasetId", new { datasetId }));
        Assert.True(await conn.ExecuteScalarAsync<long>("SELECT sum(rows) FROM npedit.dataset_units WHERE dataset_id = @datasetId", new { datasetId }) > 0);
    }
}
