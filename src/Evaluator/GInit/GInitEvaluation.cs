using System.Diagnostics;
using System.Globalization;
using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Scenes;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Pretraining;
using NpEdit.Trainer.Sampling;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.GInit;

/// <summary>
/// Issue 4's quality bar for G_init, measured by the ShapesWorld oracle: sample the compact captions of held-out
/// scenes (the pretrainer's own evaluation scenes, same filters, sampler, guidance and seed), let the oracle read
/// each sample (it reads 64 px; a 32 px sample is resized as for any other size, <see cref="OracleInput"/>), and
/// score the reading against the caption (<see cref="CaptionFidelityScorer"/>). True renders of the same scenes,
/// at the generator's size, scored the same way, are the ceiling: they show what the oracle itself misses.
/// </summary>
public static class GInitEvaluation
{
    public static GInitEvaluationResult Run(GInitEvalOptions options, Device device, Action<string>? log = null)
    {
        options.Validate();
        var checkpointPath = Path.GetFullPath(options.Checkpoint);
        var oraclePath = OracleCheckpoint.Resolve(options.Oracle);
        using var generator = GInitCheckpoint.Load(checkpointPath, device);
        using var oracle = OracleCheckpoint.Load(oraclePath, device);
        var eval = generator.Training.Eval;
        var (steps, guidance) = (options.SampleSteps ?? eval.SampleSteps, options.GuidanceScale ?? eval.GuidanceScale);
        var size = generator.DiT.Config.ImageSize;

        // The checkpoint's own training distribution unless overridden: two G_inits trained on different filters are
        // compared on the same scenes by passing the same filters to both.
        var filters = generator.Training.Data with
        {
            MaxObjects = options.MaxObjects ?? generator.Training.Data.MaxObjects,
            FlatOnly = options.FlatOnly ?? generator.Training.Data.FlatOnly,
        };
        var scenes = T2IPretrainJob.EvaluationScenes(filters, options.Scenes);
        var captions = scenes.Select(CompactCaption.Describe).ToArray();
        log?.Invoke(string.Create(CultureInfo.InvariantCulture,
            $"Sampling {scenes.Count} captions at {size} px (scenes with ≤ {filters.MaxObjects} objects, {(filters.FlatOnly ? "flat style only" : "every style")}): {steps} Euler steps, CFG {guidance}, seed {options.Seed}."));
        var clock = Stopwatch.StartNew();
        RgbImage[] samples;
        using (var images = TextToImageSampler.Sample(generator.DiT, generator.Text, new IdentityAutoencoder(), captions, device,
                   steps, guidance, seed: options.Seed, batchSize: options.BatchSize))
            samples = ToImages(images);
        var sampleSeconds = clock.Elapsed.TotalSeconds;

        log?.Invoke($"Reading {scenes.Count} samples and {scenes.Count} true renders with the oracle{(options.Refine ? ", each reading refined by rendering alternatives" : " (the network alone)")}.");
        clock.Restart();
        var renders = scenes.Select(s => RgbImage.Render(s, size)).ToArray();
        var readSamples = oracle.Parse(samples, refine: options.Refine);
        var readRenders = oracle.Parse(renders, refine: options.Refine);
        var parseSeconds = clock.Elapsed.TotalSeconds;

        var shown = Math.Min(options.GridScenes, scenes.Count);
        if (shown > 0)
        {
            try
            {
                WriteGrid(options.GridPath, captions, scenes, renders, samples, readSamples, shown);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ArgumentException($"Cannot write the sample grid {options.GridPath} ({e.Message}); pass --grid with a writable path, or --grid-scenes 0.", e);
            }
        }
        return new GInitEvaluationResult(
            checkpointPath, generator.Config.Step, size, steps, guidance, options.Seed, oraclePath,
            CaptionFidelityScorer.Score(scenes, readSamples), CaptionFidelityScorer.Score(scenes, readRenders),
            Path.GetFullPath(options.GridPath), sampleSeconds, parseSeconds);
    }

    /// <summary>(N, 3, S, S) in [−1, 1] → one 8-bit image each.</summary>
    static RgbImage[] ToImages(Tensor images)
    {
        var rgb = CaptionAgreement.ToRgb(images);
        var (n, s) = ((int)images.shape[0], (int)images.shape[^1]);
        return Enumerable.Range(0, n).Select(i => new RgbImage(rgb[(i * s * s * 3)..((i + 1) * s * s * 3)], s, s)).ToArray();
    }

    /// <summary>The triplet grid and, beside it, one line per scene: the caption, the oracle's reading of the sample, and which objects agree.</summary>
    static void WriteGrid(string path, string[] captions, IReadOnlyList<Scene> scenes, RgbImage[] renders, RgbImage[] samples, Scene[] read, int shown)
    {
        var size = renders[0].Width;
        var rows = Enumerable.Range(0, shown)
            .Select(i => (IReadOnlyList<RgbImage>)[renders[i], samples[i], RgbImage.Render(read[i], size)])
            .ToArray();
        ReadingGrid.Write(path, rows);
        var lines = Enumerable.Range(0, shown).Select(i =>
        {
            var verdict = CaptionFidelityScorer.Score([scenes[i]], [read[i]]);
            return $"{i + 1}. caption: {captions[i]} | oracle reads: {CompactCaption.Describe(read[i])} | objects right: {verdict.AllThree}/{verdict.Objects}, background {(verdict.BackgroundRight == 1 ? "right" : "wrong")}";
        });
        File.WriteAllLines(Path.ChangeExtension(path, ".txt"),
            ["Each entry: true render | G_init sample | the oracle's reading of the sample, rendered back.", .. lines]);
    }
}
