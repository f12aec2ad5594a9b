using System.Diagnostics;
using Npgsql;
using NpEdit.Core.Config;
using NpEdit.Core.Database;
using NpEdit.Core.Tracking;
using NpEdit.ShapesWorld;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Scenes;
using NpEdit.Trainer.Runtime;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Pretraining;

/// <summary>
/// The library entry point of G_init pretraining, callable with ids only (a Hangfire job, the CLI): the
/// run row holds the resolved <see cref="T2IPretrainJobConfig"/> and the device; the job reads or builds
/// the ShapesWorld corpus, resumes from the run's last checkpoint, trains, logs metrics, writes
/// checkpoints and sample grids under <c>.npedit/runs/&lt;run-id&gt;/</c>, and records them as artifacts.
/// Cancelling the token ends the run after the current step with a checkpoint, so rerunning resumes.
/// </summary>
public sealed class T2IPretrainJob(NpgsqlDataSource dataSource)
{
    /// <summary>The run kind in <c>npedit.runs</c>.</summary>
    public const string Kind = "pretrain-t2i";

    /// <summary>The seed "version" of the held-out evaluation scenes: bench-range seeds, so no corpus contains them, and not a real bench version.</summary>
    const int EvaluationSeedVersion = 0xE7A1;

    readonly RunStore runs = new(dataSource);
    readonly MetricStore metrics = new(dataSource);
    readonly ArtifactStore artifacts = new(dataSource);

    /// <summary>The run row for <paramref name="config"/> (created, or the existing one with the same config in its experiment).</summary>
    public Task<(RunRecord Run, bool Created)> CreateRunAsync(ResolvedConfig<T2IPretrainJobConfig> config, string device, CancellationToken ct = default) =>
        runs.CreateOrGetAsync(new NewRun(config.Value.Experiment, Kind, config.Json)
        {
            Name = $"{config.Value.Preset}-{config.Hash[..8]}",
            Device = device,
            Tags = new Dictionary<string, string> { ["preset"] = config.Value.Preset },
        }, ct);

    /// <summary>The folder of a run's files: <c>.npedit/runs/&lt;run-id&gt;</c>.</summary>
    public static string RunDirectory(Guid runId) => Path.Combine(ProjectPaths.StateDirectory(), "runs", runId.ToString());

    /// <summary>The newest complete checkpoint folder of a run, or null.</summary>
    public static string? LatestCheckpoint(Guid runId)
    {
        var root = Path.Combine(RunDirectory(runId), "checkpoints");
        return Directory.Exists(root)
            ? Directory.GetDirectories(root, "step-*").Where(T2IPretrainer.IsCheckpoint).Order(StringComparer.Ordinal).LastOrDefault()
            : null;
    }

    /// <summary>
    /// Runs (or continues) the pretraining of run <paramref name="runId"/>.
    /// </summary>
    /// <param name="runId">A run created by <see cref="CreateRunAsync"/>.</param>
    /// <param name="resume">Continue from the last checkpoint; when false and the run has one, the job refuses rather than overwrite it. Jobs pass true, so a retry is harmless.</param>
    /// <param name="progress">Phase and step updates.</param>
    /// <param name="ct">Cancels after the current step; a checkpoint is written first.</param>
    public async Task<T2IPretrainOutcome> RunAsync(Guid runId, bool resume = true, IProgress<T2IProgress>? progress = null, CancellationToken ct = default)
    {
        var run = await runs.GetAsync(runId, ct) ?? throw new ArgumentException($"Run {runId} does not exist; create it with 'npedit pretrain t2i'.");
        if (run.Kind != Kind)
            throw new ArgumentException($"Run {runId} is a '{run.Kind}' run, not '{Kind}'.");
        var config = ConfigLoader.Resolve<T2IPretrainJobConfig>(RunStore.ConfigOf(run), $"run {runId}").Value;
        var latest = LatestCheckpoint(runId);
        if (latest is not null && !resume)
            throw new InvalidOperationException(
                $"Run {runId} already has a checkpoint ({Path.GetFileName(latest)}); pass --resume to continue it, or change the config for a new run.");

        var device = TorchRuntime.Initialize(DeviceSpec.Parse(run.Device ?? "cpu")).Device;
        await runs.SetStatusAsync(runId, RunStatus.Running, ct: ct);
        try
        {
            var outcome = await TrainAsync(run, config, device, latest, progress, ct);
            await runs.SetStatusAsync(runId, outcome.Completed ? RunStatus.Finished : RunStatus.Cancelled, ct: CancellationToken.None);
            return outcome;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await runs.SetStatusAsync(runId, RunStatus.Cancelled, ct: CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            await runs.SetStatusAsync(runId, RunStatus.Failed, e.Message, CancellationToken.None);
            throw;
        }
    }

    async Task<T2IPretrainOutcome> TrainAsync(RunRecord run, T2IPretrainJobConfig config, Device device, string? latest, IProgress<T2IProgress>? progress, CancellationToken ct)
    {
        var trainerConfig = config.ToTrainerConfig();
        var resolution = trainerConfig.Model.DiT.ImageSize;
        progress?.Report(new T2IProgress("corpus", 0, config.Steps));
        var corpus = config.Data.Corpus ?? await BuildCorpusAsync(config.Data, resolution, ct);
        progress?.Report(new T2IProgress("loading", 0, config.Steps));
        using var data = await ShapesImageSet.LoadAsync(corpus, resolution, config.Data, ct);
        using var evaluation = ShapesImageSet.Render(EvaluationScenes(config.Data, config.Eval.Prompts), resolution);
        await runs.SetTagAsync(run.Id, "corpus", Path.GetFullPath(corpus), ct);
        await runs.SetTagAsync(run.Id, "train_images", data.Count.ToString(), ct);

        using var trainer = new T2IPretrainer(trainerConfig, data.Vocabulary(), device);
        if (latest is not null)
            trainer.LoadCheckpoint(latest);
        var trainingConfig = RunStore.ConfigOf(run);
        var directory = RunDirectory(run.Id);
        var pending = new List<MetricPoint>();
        var checkpoint = latest ?? "";
        CaptionAgreement.Result? agreement = null;
        var clock = new Stopwatch();
        var cpuAtStart = Process.GetCurrentProcess().TotalProcessorTime;

        async Task SaveAsync()
        {
            progress?.Report(new T2IProgress("checkpoint", trainer.Step, config.Steps));
            checkpoint = Path.Combine(directory, "checkpoints", $"step-{trainer.Step:D7}");
            var weights = trainer.SaveCheckpoint(checkpoint, trainingConfig);
            await artifacts.RecordAsync(run.Id, "checkpoint", weights, CancellationToken.None);
        }

        async Task EvaluateNowAsync()
        {
            progress?.Report(new T2IProgress("evaluating", trainer.Step, config.Steps));
            agreement = await EvaluateSamplesAsync(run.Id, trainer, evaluation, config.Eval, directory, pending);
        }

        while (trainer.Step < config.Steps && !ct.IsCancellationRequested)
        {
            clock.Start();
            var batch = data.Sample(config.Data.BatchSize, config.Data.Caption, trainer.Generator);
            IReadOnlyDictionary<string, double> step;
            using (batch)
                step = trainer.TrainStep(batch);
            clock.Stop();
            var now = DateTime.UtcNow;
            pending.AddRange(step.Select(kv => new MetricPoint(run.Id, kv.Key, trainer.Step, kv.Value, now)));
            progress?.Report(new T2IProgress("training", trainer.Step, config.Steps, step["loss"]));
            if (trainer.Step % config.LogEvery == 0)
                await FlushAsync(pending);
            if (trainer.Step % config.CheckpointEvery == 0 && trainer.Step < config.Steps)
                await SaveAsync();
            if (config.Eval.Every > 0 && trainer.Step % config.Eval.Every == 0 && trainer.Step < config.Steps)
                await EvaluateNowAsync();
        }

        var completed = trainer.Step >= config.Steps;
        // CPU seconds of the whole process over the loop (evaluation included): on a shared machine wall time
        // overstates the cost, CPU time divided by the cores is what a dedicated machine would need.
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuAtStart).TotalSeconds;
        pending.Add(new MetricPoint(run.Id, "train_seconds", trainer.Step, clock.Elapsed.TotalSeconds, DateTime.UtcNow));
        pending.Add(new MetricPoint(run.Id, "cpu_seconds", trainer.Step, cpuSeconds, DateTime.UtcNow));
        if (checkpoint != Path.Combine(directory, "checkpoints", $"step-{trainer.Step:D7}"))
            await SaveAsync();
        if (completed)
            await EvaluateNowAsync();
        await FlushAsync(pending);
        return new T2IPretrainOutcome(run.Id, trainer.Step, completed, checkpoint, agreement, clock.Elapsed.TotalSeconds, cpuSeconds);
    }

    /// <summary>Samples the evaluation captions, writes the grid, scores the agreement proxy and queues its metrics.</summary>
    async Task<CaptionAgreement.Result> EvaluateSamplesAsync(
        Guid runId, T2IPretrainer trainer, ShapesImageSet evaluation, T2IEvalSection eval, string directory, List<MetricPoint> pending)
    {
        var captions = Enumerable.Range(0, evaluation.Count).Select(i => evaluation.Caption(i, CaptionKind.Compact)).ToArray();
        using var samples = trainer.Sample(captions, eval.SampleSteps, eval.GuidanceScale, seed: 1);
        var result = CaptionAgreement.Score(evaluation.Scenes, evaluation.Images, samples);
        var grid = Path.Combine(directory, "samples", $"step-{trainer.Step:D7}.png");
        var shown = Math.Min(eval.GridPrompts, evaluation.Count);
        using (var truth = evaluation.Images.narrow(0, 0, shown))
        using (var generated = samples.narrow(0, 0, shown))
            SampleGrid.Write(grid, truth, generated);
        await File.WriteAllLinesAsync(Path.ChangeExtension(grid, ".txt"), captions.Take(shown));
        await artifacts.RecordAsync(runId, "sample-grid", grid, CancellationToken.None);
        var now = DateTime.UtcNow;
        pending.Add(new MetricPoint(runId, "eval/color_agreement", trainer.Step, result.Agreement, now));
        pending.Add(new MetricPoint(runId, "eval/color_agreement_strict", trainer.Step, result.StrictAgreement, now));
        pending.Add(new MetricPoint(runId, "eval/readable_share", trainer.Step, result.ReadableShare, now));
        return result;
    }

    async Task FlushAsync(List<MetricPoint> pending)
    {
        if (pending.Count == 0)
            return;
        // Not cancellable: the points describe steps that already happened.
        await metrics.LogAsync(pending, CancellationToken.None);
        pending.Clear();
    }

    /// <summary>Writes (once) and returns the corpus for <paramref name="data"/> under <c>.npedit/corpora/</c>.</summary>
    static async Task<string> BuildCorpusAsync(T2IDataSection data, int resolution, CancellationToken ct)
    {
        var directory = Path.Combine(ProjectPaths.StateDirectory(), "corpora", $"shapes-n{data.Count}-r{resolution}-s{data.CorpusSeed}");
        if (File.Exists(Path.Combine(directory, CorpusManifest.FileName)))
            return directory;
        // Written beside and renamed into place, so two runs building the same corpus never see a half-written one.
        var temp = $"{directory}.tmp-{Environment.ProcessId}";
        await CorpusWriter.WriteAsync(new CorpusOptions(data.Count, resolution, (ulong)data.CorpusSeed, temp), ct: ct);
        try
        {
            Directory.Move(temp, directory);
        }
        catch (IOException) when (File.Exists(Path.Combine(directory, CorpusManifest.FileName)))
        {
            Directory.Delete(temp, recursive: true);
        }
        return directory;
    }

    /// <summary>Held-out scenes from the same filtered distribution as the training data (bench-range seeds, so never in a corpus).</summary>
    public static IReadOnlyList<Scene> EvaluationScenes(T2IDataSection data, int count)
    {
        var scenes = new List<Scene>(count);
        for (long i = 0; scenes.Count < count; i++)
        {
            var scene = SceneSampler.Sample(SeedRanges.BenchSceneSeed(EvaluationSeedVersion, i));
            if (ShapesImageSet.Keep(scene, data))
                scenes.Add(scene);
        }
        return scenes;
    }
}
