using Dapper;
using NpEdit.Core.Config;
using NpEdit.Core.Config.Dataset;
using NpEdit.DatasetBuilder.Tests.Inputs;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.Testing;

namespace NpEdit.DatasetBuilder.Tests.Build;

/// <summary>A unit whose input breaks while it is being streamed: one 50-image shard read in row groups of 10.</summary>
public sealed class StreamedBuildFacts(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly TempDirectory _dir = new("npedit-streamed-build");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Build_WhenARowGroupIsDamagedMidUnit_FailsWithTheFile_WritesNoShard_AndTheRerunCompletesFromTheCache()
    {
        var corpus = Path.Combine(_dir.Path, "corpus");
        await CorpusWriter.WriteAsync(new CorpusOptions(50, 64, 7, corpus) { RowsPerShard = 50, RowGroupSize = 10 });
        var registry = new SceneRegistry();
        await registry.LoadDirectoryAsync(corpus);
        await using var server = await AnnotatorServer.StartAsync(new AnnotatorOptions(registry) { Seed = 99, LatencyMs = 5 });
        // One unit; two request slots, so eight images in flight: the reader reaches row group 3 only after the first
        // 22 images have had their replies.
        var sets = new[] { "vlm.seed=6", "vlm.max_in_flight_per_endpoint=2", "tasks.customization=false", "input.images_per_unit=50" };
        var output = Path.Combine(_dir.Path, "damaged");
        var config = Config("damaged", output, corpus, server, sets);
        var shard = Directory.GetFiles(Path.Combine(corpus, "data"), "*.parquet").Single();

        long id;
        using (await DamagedParquet.DamageAsync(shard, rowGroup: 3))
        {
            using var build = new DatasetBuild(db.DataSource);
            id = await build.PrepareAsync(config);
            var e = await Assert.ThrowsAsync<InvalidDataException>(() => build.BuildAsync(id));
            Assert.Contains(Path.GetFileName(shard), e.Message);
            Assert.Contains("row group 3 (rows 30–39)", e.Message);
            Assert.Contains("restore it and rerun", e.Message);
            // Streaming: the first images were sent, and answered, before the damaged rows were read.
            Assert.True(server.RequestCount >= 22 * 5, $"only {server.RequestCount} requests before the failure");
        }
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var (status, error) = await conn.QuerySingleAsync<(string, string)>(
            "SELECT status, error FROM npedit.dataset_units WHERE dataset_id = @id", new { id });
        Assert.Equal(("failed", true), (status, error.Contains("row group 3")));
        // No shard and no temp file: the unit never reached its shard.
        Assert.Empty(Directory.Exists(Path.Combine(output, "data")) ? Directory.GetFiles(Path.Combine(output, "data"), "*", SearchOption.AllDirectories) : []);
        var cached = (await conn.QueryAsync<string>("SELECT request_hash FROM npedit.vlm_replies")).ToHashSet();
        var sentBefore = server.RequestCount;

        // The file is restored (disposing the damage): the rerun completes, paying only for the replies not yet cached.
        using var rerun = new DatasetBuild(db.DataSource);
        Assert.Equal(id, await rerun.PrepareAsync(config));
        var finished = await rerun.BuildAsync(id);
        Assert.Equal("finished", finished.Status);
        Assert.Equal(50, finished.ImagesIn);
        var calls = (await conn.QueryAsync<(string Hash, bool FromCache)>(
            "SELECT request_hash, from_cache FROM npedit.vlm_calls WHERE dataset_id = @id", new { id })).ToList();
        Assert.All(calls.Where(c => cached.Contains(c.Hash)), c => Assert.True(c.FromCache));
        Assert.Equal(calls.Count(c => !cached.Contains(c.Hash)), rerun.StatsFor(id)!.Attempts);
        Assert.Equal(server.RequestCount - sentBefore, rerun.StatsFor(id)!.Attempts);

        // An uninterrupted build of the same config (all from the cache) writes the same rows in the same order.
        using var reference = new DatasetBuild(db.DataSource);
        var referenceConfig = Config("undamaged", Path.Combine(_dir.Path, "undamaged"), corpus, server, sets);
        var referenceId = await reference.PrepareAsync(referenceConfig);
        await reference.BuildAsync(referenceId);
        Assert.Equal(0, reference.StatsFor(referenceId)!.Attempts);
        var rows = await ShardReadBack.ReadAsync(output);
        Assert.NotEmpty(rows);
        Assert.Equal((await ShardReadBack.ReadAsync(referenceConfig.Value.OutputDir)).Select(r => r.Id), rows.Select(r => r.Id));
    }

    private static ResolvedConfig<DatasetConfig> Config(string name, string outputDir, string corpus, AnnotatorServer server, string[] sets) =>
        ConfigLoader.Resolve<DatasetConfig>(null, sets:
        [
            $"name={name}", $"output_dir={outputDir}", "input.kind=shapes_world", $"input.path={corpus}",
            $"vlm.endpoints=shapesworld-annotator@{server.BaseAddress}", "vlm.base_delay_ms=5", "vlm.max_delay_seconds=0.05",
            .. sets,
        ]);
}
