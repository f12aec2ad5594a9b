using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Imaging;
using NpEdit.Evaluator.Pipeline;
using NpEdit.Evaluator.Storage;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Runtime;
using NpEdit.Trainer.Sampling;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Generation;

/// <summary>
/// Runs an editor checkpoint (DiT with the reference image as extra tokens, §4.3) with NP-Edit's few-step
/// sampler over a benchmark, in batches, on the device TorchRuntime selected. Each edited image is written
/// as <c>&lt;group&gt;/&lt;key&gt;.png</c> (atomically) and recorded in <c>eval_outputs</c>; a rerun skips items that
/// have both. Sources are resized to the model's resolution; outputs stay at that resolution (the judge
/// resizes to the source size, as GEdit-Bench's script does).
/// </summary>
public sealed class EditorGenerator(EvalStore store)
{
    public async Task<GenerationSummary> GenerateAsync(EvalBenchmark benchmark, GenerationOptions options, Device device,
        IProgress<int>? progress = null, CancellationToken ct = default)
    {
        options.Validate();
        var checkpointHash = Convert.ToHexString(SHA256.HashData(await File.ReadAllBytesAsync(options.Checkpoint, ct))).ToLowerInvariant();
        var outputDir = Path.GetFullPath(options.OutputDirectory);
        var setId = await store.EnsureOutputSetAsync(new OutputSetSpec(Path.GetFullPath(options.Checkpoint), checkpointHash, benchmark.Name,
            options.Steps, options.Seed, outputDir, new JsonObject
            {
                ["sampler"] = "few-step",
                ["steps"] = options.Steps,
                ["batch_size"] = options.BatchSize,
                ["seed"] = options.Seed,
            }), ct);
        var recorded = await store.OutputsAsync(setId, ct);
        var items = options.Limit is { } limit ? benchmark.Items.Take(limit).ToArray() : benchmark.Items.ToArray();
        var todo = items.Where(i => !(recorded.ContainsKey(i.Key) && File.Exists(Path.Combine(outputDir, OutputLayout.RelativePath(i.Group, i.Key))))).ToArray();
        if (todo.Length == 0)
            return new GenerationSummary(setId, outputDir, 0, items.Length, 0);

        var (dit, text, config) = GeneratorCheckpoint.Load(options.Checkpoint, device);
        using var _dit = dit;
        using var _text = text;
        if (config.DiT.InChannels != 3)
            throw new InvalidDataException($"{options.Checkpoint} works in a {config.DiT.InChannels}-channel latent space; only pixel-space editors (3 channels) can be run here.");
        dit.eval();
        text.eval();
        var size = config.DiT.ImageSize;
        var clock = Stopwatch.StartNew();
        var done = 0;
        foreach (var batch in todo.Chunk(options.BatchSize))
        {
            ct.ThrowIfCancellationRequested();
            var started = clock.ElapsedMilliseconds;
            var edited = Edit(dit, text, batch, size, options, device);
            var perImage = (int)((clock.ElapsedMilliseconds - started) / batch.Length);
            for (var i = 0; i < batch.Length; i++)
            {
                var relative = OutputLayout.RelativePath(batch[i].Group, batch[i].Key);
                var png = ImageBytes.EncodePng(edited[i], size, size);
                var path = Path.Combine(outputDir, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                await File.WriteAllBytesAsync(path + ".tmp", png, ct);
                File.Move(path + ".tmp", path, overwrite: true);
                await store.AddOutputAsync(setId, new EvalOutput(batch[i].Key, batch[i].Group, relative,
                    Convert.ToHexString(SHA256.HashData(png)).ToLowerInvariant(), perImage), ct);
            }
            done += batch.Length;
            progress?.Report(done);
        }
        return new GenerationSummary(setId, outputDir, todo.Length, items.Length - todo.Length, (double)clock.ElapsedMilliseconds / todo.Length);
    }

    private static byte[][] Edit(DiT dit, Trainer.Models.Text.ShapesTextEncoder text, EvalItem[] batch, int size, GenerationOptions options, Device device)
    {
        using var gc = TorchGcGuard.Enter();   // libtorch must not see a Scalar freed by a GC mid-call (TorchGcGuard)
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var sources = batch.Select(i => ImageBytes.DecodeRgb(i.LoadSource(), size, size).Rgb).ToArray();
        var reference = ImageTensors.FromRgb(sources, size, size, device);                     // (N, 3, H, W) y
        var c = text.Encode(batch.Select(i => i.Instruction).ToArray(), device);               // (N, L, D)
        // One generator per batch, seeded from the run seed and the batch's first key: reruns reproduce a batch.
        using var generator = SeededNoise.NewGenerator((ulong)(options.Seed ^ StableHash(batch[0].Key)));
        var noise = SeededNoise.Randn([batch.Length, 3, size, size], generator, device);         // ε at t = 1
        var x0 = FewStepSampler.Sample((x, t) => dit.call(x, t, c.Tokens, c.Mask, reference), noise, options.Steps, generator: generator);
        return ImageTensors.ToRgb(x0);
    }

    private static long StableHash(string key)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (var ch in key) { h ^= ch; h *= 0x100000001B3UL; }
        return (long)(h & long.MaxValue);
    }
}
