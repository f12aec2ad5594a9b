using System.Globalization;
using System.Text.Json;
using NpEdit.Core.Config.Training;
using NpEdit.ShapesWorld.Edits;

namespace NpEdit.Trainer.Training;

/// <summary>
/// The cadence around <see cref="NpEditTrainer.Step"/> (the DiT <c>train.py</c> loop): draw a batch, step, average
/// the logs over each <c>run.metrics_every</c> window into PostgreSQL, checkpoint every <c>run.checkpoint_every</c>
/// steps and on exit or cancellation, write a sample grid every <c>run.samples_every</c> steps, and record which
/// shard rows were consumed (<c>consumed.tsv</c>).
/// </summary>
public sealed class NpEditRun
{
    public const string CheckpointsFolder = "checkpoints";
    public const string DataCursorFile = "data.json";
    public const string ConsumedFile = "consumed.tsv";

    private readonly NpEditConfig config;
    private readonly NpEditTrainer trainer;
    private readonly EditBatchSampler? sampler;
    private readonly GroundTruthPairs? pairs;
    private readonly TrainingTracker? tracker;
    private readonly List<IReadOnlyDictionary<string, double>> window = [];
    private IReadOnlyList<EditItem>? previewItems;

    /// <param name="config">The resolved config.</param>
    /// <param name="trainer">The trainer (fresh, or loaded by <see cref="Resume"/>).</param>
    /// <param name="sampler">Edit rows; null only for <c>objective: sft</c>.</param>
    /// <param name="pairs">Ground-truth pairs; only for <c>objective: sft</c>.</param>
    /// <param name="directory">The run folder (checkpoints, samples, consumed.tsv).</param>
    /// <param name="tracker">PostgreSQL metrics and artifacts; null logs nowhere (tests).</param>
    public NpEditRun(NpEditConfig config, NpEditTrainer trainer, EditBatchSampler? sampler, GroundTruthPairs? pairs, string directory, TrainingTracker? tracker = null)
    {
        if ((config.Loss.Objective == Objective.Sft ? pairs : (object?)sampler) is null)
            throw new ArgumentException(config.Loss.Objective == Objective.Sft
                ? "objective sft needs ground-truth pairs."
                : "NP-Edit training needs a dataset sampler.");
        this.config = config;
        this.trainer = trainer;
        this.sampler = sampler;
        this.pairs = pairs;
        this.tracker = tracker;
        Directory = directory;
    }

    public string Directory { get; }

    /// <summary>The folder name of the checkpoint written after <paramref name="step"/> steps.</summary>
    public static string CheckpointName(long step) => $"step-{step.ToString("D8", CultureInfo.InvariantCulture)}";

    /// <summary>The newest complete checkpoint folder of <paramref name="runDirectory"/>, or null.</summary>
    public static string? LatestCheckpoint(string runDirectory)
    {
        var root = Path.Combine(runDirectory, CheckpointsFolder);
        return System.IO.Directory.Exists(root)
            ? System.IO.Directory.GetDirectories(root, "step-*")
                .Where(d => !d.EndsWith(".tmp", StringComparison.Ordinal) && File.Exists(Path.Combine(d, TrainingCheckpoint.StateFile)))
                .OrderBy(d => d, StringComparer.Ordinal)
                .LastOrDefault()
            : null;
    }

    /// <summary>Restores the trainer and the data cursor from the newest checkpoint; returns its step.</summary>
    /// <exception cref="FileNotFoundException">The run folder has no checkpoint.</exception>
    public long Resume()
    {
        var latest = LatestCheckpoint(Directory)
            ?? throw new FileNotFoundException($"--resume: run folder {Directory} has no checkpoint yet; start the run without --resume.");
        trainer.Load(latest);
        var cursor = JsonSerializer.Deserialize<DataCursor>(File.ReadAllText(Path.Combine(latest, DataCursorFile)))
            ?? throw new InvalidDataException($"{latest}/{DataCursorFile} is empty.");
        if (sampler is not null)
            sampler.Cursor = cursor.Sampler ?? new SamplerCursor();
        if (pairs is not null)
            pairs.Drawn = cursor.PairsDrawn;
        TruncateConsumed(trainer.StepsDone);
        return trainer.StepsDone;
    }

    /// <summary>
    /// Trains until <c>schedule.steps</c>. Returns each step's logs (for tests and the console). On cancellation it
    /// checkpoints, flushes metrics and then throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, double>>> RunAsync(
        Action<long, IReadOnlyDictionary<string, double>>? progress = null, CancellationToken ct = default)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var history = new List<IReadOnlyDictionary<string, double>>();
        try
        {
            while (trainer.StepsDone < config.Schedule.Steps && !ct.IsCancellationRequested)
            {
                var logs = NextStep();
                var step = trainer.StepsDone;
                history.Add(logs);
                window.Add(logs);
                progress?.Invoke(step, logs);
                if (step % config.Run.MetricsEvery == 0)
                    await FlushMetricsAsync(step, CancellationToken.None);
                if (step % config.Run.CheckpointEvery == 0)
                    await CheckpointAsync(CancellationToken.None);
                if (step % config.Run.SamplesEvery == 0)
                    await WriteSamplesAsync(step, CancellationToken.None);
            }
        }
        finally
        {
            // Also on cancellation and divergence: the last good state is kept (skipped steps never applied an update).
            await FlushMetricsAsync(trainer.StepsDone, CancellationToken.None);
            if (LatestCheckpointStep() != trainer.StepsDone)
                await CheckpointAsync(CancellationToken.None);
            if (tracker is not null && File.Exists(Path.Combine(Directory, ConsumedFile)))
                await tracker.RecordArtifactAsync("data-consumed", Path.Combine(Directory, ConsumedFile), CancellationToken.None);
        }
        ct.ThrowIfCancellationRequested();
        return history;
    }

    private IReadOnlyDictionary<string, double> NextStep()
    {
        var size = trainer.ImageSize;
        if (pairs is not null)
        {
            var (inputs, targets, instructions) = pairs.Next(config.Data.BatchSize, size, trainer.Device);
            using (inputs)
            using (targets)
                return trainer.SftStep(inputs, targets, instructions);
        }
        var examples = sampler!.Next(config.Data.BatchSize);
        AppendConsumed(trainer.StepsDone + 1, examples);
        var batch = EditBatch.Load(examples, size, trainer.Device);
        using (batch.References)
            return trainer.Step(batch);
    }

    private async Task CheckpointAsync(CancellationToken ct)
    {
        var name = CheckpointName(trainer.StepsDone);
        var root = Path.Combine(Directory, CheckpointsFolder);
        var final = Path.Combine(root, name);
        var temp = final + ".tmp";
        if (System.IO.Directory.Exists(temp))
            System.IO.Directory.Delete(temp, recursive: true);
        trainer.Save(temp);
        var cursor = new DataCursor(sampler?.Cursor.Clone(), pairs?.Drawn ?? 0);
        await File.WriteAllTextAsync(Path.Combine(temp, DataCursorFile), JsonSerializer.Serialize(cursor), ct);
        if (System.IO.Directory.Exists(final))
            System.IO.Directory.Delete(final, recursive: true);
        System.IO.Directory.Move(temp, final);   // a crash mid-save leaves only a .tmp folder, never a torn checkpoint
        foreach (var old in System.IO.Directory.GetDirectories(root, "step-*").Where(d => !d.EndsWith(".tmp", StringComparison.Ordinal))
                     .OrderBy(d => d, StringComparer.Ordinal).SkipLast(2))
            System.IO.Directory.Delete(old, recursive: true);
        if (tracker is not null)
            await tracker.RecordArtifactAsync("checkpoint", Path.Combine(final, TrainingCheckpoint.GeneratorFile), ct);
    }

    private async Task WriteSamplesAsync(long step, CancellationToken ct)
    {
        if (config.Run.SampleGridItems <= 0 || trainer.InWarmup)
            return;
        previewItems ??= SampleGrid.PreviewItems(config.Run.SampleGridItems);
        var path = Path.Combine(Directory, "samples", $"step-{step.ToString("D8", CultureInfo.InvariantCulture)}.png");
        SampleGrid.Write(path, trainer, previewItems, config.Run.Seed);
        if (tracker is not null)
            await tracker.RecordArtifactAsync("sample-grid", path, ct);
    }

    private async Task FlushMetricsAsync(long step, CancellationToken ct)
    {
        if (window.Count == 0)
            return;
        var averaged = window.SelectMany(w => w).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Average(kv => kv.Value));
        averaged["skipped"] = window.Sum(w => w.GetValueOrDefault("skipped"));
        window.Clear();
        if (tracker is not null)
            await tracker.LogAsync(step, averaged.Where(kv => double.IsFinite(kv.Value)).ToDictionary(), ct);
    }

    private long? LatestCheckpointStep() =>
        LatestCheckpoint(Directory) is { } latest ? long.Parse(Path.GetFileName(latest)[5..], CultureInfo.InvariantCulture) : null;

    private void AppendConsumed(long step, IReadOnlyList<EditExample> examples) =>
        File.AppendAllLines(Path.Combine(Directory, ConsumedFile),
            examples.Select(e => string.Create(CultureInfo.InvariantCulture, $"{step}\t{e.Shard}\t{e.Row}\t{e.Sample.Id}")));

    /// <summary>Drops the consumption lines of steps after the checkpoint, which the resumed run redoes.</summary>
    private void TruncateConsumed(long step)
    {
        var path = Path.Combine(Directory, ConsumedFile);
        if (!File.Exists(path))
            return;
        var kept = File.ReadAllLines(path).Where(l => long.Parse(l.AsSpan(0, l.IndexOf('\t')), CultureInfo.InvariantCulture) <= step).ToArray();
        File.WriteAllLines(path, kept);
    }
}
