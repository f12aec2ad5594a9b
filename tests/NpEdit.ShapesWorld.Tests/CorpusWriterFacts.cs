using NpEdit.Testing;
using System.Text;
using DuckDB.NET.Data;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Tests;

public class CorpusWriterFacts
{
    private static async Task<(TempDirectory Dir, CorpusOptions Options, CorpusManifest Manifest)> WriteSmallCorpusAsync()
    {
        var dir = new TempDirectory();
        var options = new CorpusOptions(Count: 230, Resolution: 32, Seed: 9, OutputDirectory: dir.Path) { RowsPerShard = 100, RowGroupSize = 40, MaxParallelism = 2 };
        var manifest = await CorpusWriter.WriteAsync(options);
        return (dir, options, manifest);
    }

    [Fact]
    public async Task WriteAsync_WritesShardsDuckDbReadsBack_WhenCorpusIsSmall()
    {
        var (dir, options, manifest) = await WriteSmallCorpusAsync();
        using var _ = dir;
        Assert.Equal(3, manifest.Shards.Count);
        Assert.Equal("data/train-00002-of-00003.parquet", manifest.Shards[2]);

        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        string glob = Path.Combine(dir.Path, "data", "*.parquet");
        using (var cmd = db.CreateCommand())
        {
            cmd.CommandText = $"SELECT count(*), count(DISTINCT id) FROM read_parquet('{glob}')";
            using var r = cmd.ExecuteReader();
            r.Read();
            Assert.Equal(230L, r.GetInt64(0));
            Assert.Equal(230L, r.GetInt64(1));
        }
        using (var cmd = db.CreateCommand())
        {
            // Rows 0, 150 and 229 across shards: DuckDB's bytes must equal a fresh render + encode.
            cmd.CommandText = $"SELECT id, seed, image.bytes, image.path, scene_json FROM read_parquet('{glob}') WHERE id IN ($a, $b, $c) ORDER BY id";
            var expected = new[] { 0, 150, 229 }.Select(i => CorpusWriter.MakeRow(options, i)).ToDictionary(r => r.Id);
            foreach (var (name, id) in new[] { "a", "b", "c" }.Zip(expected.Keys)) cmd.Parameters.Add(new DuckDBParameter(name, id));
            using var r = cmd.ExecuteReader();
            int seen = 0;
            while (r.Read())
            {
                var row = expected[r.GetString(0)];
                using var blob = r.GetStream(2);
                using var copy = new MemoryStream();
                blob.CopyTo(copy);
                Assert.Equal(row.Image.Bytes, copy.ToArray());
                Assert.Equal(row.Image.Path, r.GetString(3));
                Assert.Equal(row.Seed, r.GetInt64(1));
                var scene = SceneJson.Deserialize(r.GetString(4));
                var (rgb, _, _) = PngCodec.Decode(copy.ToArray());
                Assert.Equal(Renderer.Render(scene, 32), rgb);
                seen++;
            }
            Assert.Equal(3, seen);
        }
    }

    [Fact]
    public async Task WriteAsync_StoresHuggingFaceImageFeature_WhenShardIsWritten()
    {
        var (dir, _, manifest) = await WriteSmallCorpusAsync();
        using var _ = dir;
        using var db = new DuckDBConnection("Data Source=:memory:");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = $"SELECT decode(value) FROM parquet_kv_metadata('{Path.Combine(dir.Path, manifest.Shards[0])}') WHERE decode(key) = 'huggingface'";
        var json = (string?)cmd.ExecuteScalar();
        Assert.NotNull(json);
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        Assert.Equal("Image", doc.RootElement.GetProperty("info").GetProperty("features").GetProperty("image").GetProperty("_type").GetString());

        using var typeCmd = db.CreateCommand();
        typeCmd.CommandText = $"SELECT typeof(image) FROM read_parquet('{Path.Combine(dir.Path, manifest.Shards[0])}') LIMIT 1";
        Assert.Equal("STRUCT(bytes BLOB, path VARCHAR)", (string?)typeCmd.ExecuteScalar());
    }

    [Fact]
    public async Task ReadAsync_ReturnsEveryRowWithRegistryEntries_WhenCorpusWasWritten()
    {
        var (dir, options, _) = await WriteSmallCorpusAsync();
        using var _ = dir;
        var rows = new List<CorpusRow>();
        await foreach (var row in CorpusReader.ReadAsync(dir.Path)) rows.Add(row);
        Assert.Equal(options.Count, rows.Count);

        var registry = new SceneRegistry();
        await registry.LoadDirectoryAsync(dir.Path);
        Assert.Equal(options.Count, registry.Count);
        var (rgb, w, h) = PngCodec.Decode(rows[17].Image.Bytes);
        Assert.Equal(SceneJson.Deserialize(rows[17].SceneJson), registry.Find(rgb, w, h)!.Scene);
        Assert.All(rows, r => Assert.False(SeedRanges.IsBench((ulong)r.Seed)));
    }

    [Fact]
    public async Task WriteAsync_Throws_WhenResolutionIsOutOfRange()
    {
        using var dir = new TempDirectory();
        var ex = await Assert.ThrowsAsync<ArgumentException>(() => CorpusWriter.WriteAsync(new CorpusOptions(10, 2, 1, dir.Path)));
        Assert.Contains("--res", ex.Message);
    }
}
