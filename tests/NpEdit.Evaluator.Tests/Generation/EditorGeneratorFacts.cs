using Dapper;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Generation;
using NpEdit.Evaluator.Imaging;
using NpEdit.Evaluator.Pipeline;
using NpEdit.Evaluator.Storage;
using NpEdit.Evaluator.Tests.Oracle;
using NpEdit.ShapesWorld.Bench;
using NpEdit.Testing;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Tests.Generation;

/// <summary>A tiny editor checkpoint run over ShapesWorld-Bench items with the few-step sampler, on the CPU.</summary>
[Collection(OracleCollection.Name)]
public class EditorGeneratorFacts(TestDatabase db) : IClassFixture<TestDatabase>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string TinyCheckpoint(EvalBenchmark bench)
    {
        OracleTestEnvironment.InitializeTorch();
        var preset = ModelPresets.ShapesXs;
        var vocabulary = bench.Items.SelectMany(i => i.Instruction.ToLowerInvariant().Split(' ')).Distinct().ToArray();
        using var dit = new DiT(preset.DiT);
        using var text = new ShapesTextEncoder(preset.Text, vocabulary);
        using (no_grad())
        using (var generator = new Generator(3))
            foreach (var p in dit.parameters())
                p.add_(randn(p.shape, generator: generator) * 0.05); // adaLN-Zero starts at v = 0; perturb so outputs depend on the input
        var path = Path.Combine(_dir.Path, "editor.safetensors");
        GeneratorCheckpoint.Save(path, dit, text, new GeneratorConfig(preset.Name, preset.DiT, preset.Text, text.Tokenizer.Words));
        return path;
    }

    [Fact]
    public async Task Writes_one_image_per_item_records_rows_and_skips_them_on_rerun()
    {
        var set = await ShapesBench.WriteAsync(_dir.Path, new BenchOptions { ItemsPerType = 1 });
        var bench = await ShapesWorldBenchLoader.LoadAsync(set.Directory);
        var checkpoint = TinyCheckpoint(bench);
        var store = new EvalStore(db.DataSource);
        var outputs = Path.Combine(_dir.Path, "outputs");
        var options = new GenerationOptions(checkpoint, outputs) { Steps = 2, BatchSize = 4, Limit = 6 };

        var first = await new EditorGenerator(store).GenerateAsync(bench, options, CPU);

        Assert.Equal((6, 0), (first.Generated, first.Skipped));
        var files = bench.Items.Take(6).Select(i => Path.Combine(outputs, OutputLayout.RelativePath(i.Group, i.Key))).ToArray();
        Assert.All(files, f => Assert.Equal((16, 16), ImageBytes.Size(File.ReadAllBytes(f))));
        var pixels = files.Select(f => ImageBytes.DecodeRgb(File.ReadAllBytes(f)).Rgb).ToArray();
        Assert.True(pixels.Distinct(new BytesComparer()).Count() > 1, "every item produced the same image");
        await using (var conn = await db.DataSource.OpenConnectionAsync())
            Assert.Equal(6, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM npedit.eval_outputs WHERE output_set_id = @id", new { id = first.OutputSetId }));

        File.Delete(files[0]);
        var second = await new EditorGenerator(store).GenerateAsync(bench, options, CPU);
        Assert.Equal((first.OutputSetId, 1, 5), (second.OutputSetId, second.Generated, second.Skipped));
        Assert.True(File.Exists(files[0]));
    }

    [Fact]
    public async Task Refuses_unsupported_step_counts_and_missing_checkpoints()
    {
        var bench = new EvalBenchmark("empty", BenchmarkKind.ShapesWorld, _dir.Path, []);
        var generator = new EditorGenerator(new EvalStore(db.DataSource));
        var steps = await Assert.ThrowsAsync<ArgumentException>(() =>
            generator.GenerateAsync(bench, new GenerationOptions("x.safetensors", _dir.Path) { Steps = 3 }, CPU));
        Assert.Contains("--steps", steps.Message);
        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() =>
            generator.GenerateAsync(bench, new GenerationOptions(Path.Combine(_dir.Path, "none.safetensors"), _dir.Path), CPU));
        Assert.Contains(".config.json", missing.Message);
    }

    private sealed class BytesComparer : IEqualityComparer<byte[]>
    {
        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);
        public int GetHashCode(byte[] obj) => obj.Length;
    }
}
