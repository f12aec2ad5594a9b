using System.Diagnostics;
using Npgsql;
using NpEdit.Core.Config;
using NpEdit.Core.Tracking;
using NpEdit.Trainer.Models;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// A tracked critic pretraining: the run row (experiment, resolved config), training metrics every
/// <see cref="LogEvery"/> steps and held-out accuracy per question family and on contrastive pairs as run metrics, the checkpoint
/// written with <see cref="CriticCheckpoint"/>.
/// </summary>
public sealed class CriticPretrainRun(NpgsqlDataSource dataSource)
{
    public const string Experiment = "critic-pretrain";
    public const int LogEvery = 10;

    readonly RunStore runs = new(dataSource);
    readonly MetricStore metrics = new(dataSource);

    /// <param name="resolved">The settings and their JSON (identifies the run).</param>
    /// <param name="checkpointPath">Where the critic goes (a .safetensors file; its config lands next to it).</param>
    /// <param name="progress">Step and latest loss, for a progress bar.</param>
    /// <param name="renderWorkers">Threads rendering batches ahead of the step (<see cref="BatchPrefetcher{T}"/>; the run does
    /// not depend on it); null for <see cref="CriticTrainingBatches.DefaultWorkers"/>.</param>
    /// <param name="retrain">Train even when a finished run with these settings has its checkpoint: the run's metrics and
    /// checkpoint tag are replaced. Without it that run is reused (<see cref="CriticPretrainOutcome.ReusedFrom"/>).</param>
    public async Task<CriticPretrainOutcome> RunAsync(ResolvedConfig<CriticPretrainConfig> resolved, string checkpointPath, Device device,
        IProgress<(long Step, double Loss)>? progress = null, int? renderWorkers = null, bool retrain = false, CancellationToken ct = default)
    {
        var workers = renderWorkers ?? CriticTrainingBatches.DefaultWorkers;
        var config = resolved.Value.Validate();
        var critic = config.Critic();
        var (run, _) = await runs.CreateOrGetAsync(new NewRun(Experiment, "pretrain-critic", resolved.Json)
        {
            Name = $"{config.Preset}-{config.Steps}steps-seed{config.Seed}",
            Device = device.ToString(),
        }, ct);
        if (!retrain && await ReuseAsync(run, checkpointPath, ct) is { } reused)
            return reused;
        await runs.SetStatusAsync(run.Id, RunStatus.Running, ct: ct);
        try
        {
            var heldOut = CriticTrainingBatches.HeldOut(3 * config.HeldOutPerFamily, workers);
            var heldOutPairs = CriticTrainingBatches.HeldOutPairs(config.HeldOutPairsPerFamily, workers);
            using var trainer = new CriticPretrainer(config, critic, device);
            var pending = new List<MetricPoint>();
            var clock = Stopwatch.StartNew();
            // Vision and captioning stages: each its own stretch of the training stream and its own step count in the metrics.
            await RunStageAsync(run.Id, b => CriticTrainingBatches.Vision(config, b), workers, config.VisionSteps, () => trainer.VisionStep, trainer.TrainVisionStep, ct);
            await RunStageAsync(run.Id, b => CriticTrainingBatches.Caption(config, b), workers, config.CaptionSteps, () => trainer.CaptionStep, trainer.TrainCaptionStep, ct);
            var firstBatch = trainer.Step;
            using var batches = new BatchPrefetcher<CriticExample[]>(b => CriticTrainingBatches.YesNo(config, firstBatch + b), workers, count: config.Steps - firstBatch);
            IReadOnlyDictionary<string, double> evaluation = new Dictionary<string, double>();
            while (trainer.Step < config.Steps)
            {
                ct.ThrowIfCancellationRequested();
                var step = trainer.TrainStep(batches.Next());
                pending.AddRange(step.Select(kv => new MetricPoint(run.Id, kv.Key, trainer.Step, kv.Value, DateTime.UtcNow)));
                progress?.Report((trainer.Step, step["loss"]));
                if (trainer.Step % config.EvalEvery == 0 || trainer.Step == config.Steps)
                {
                    evaluation = Evaluate(trainer, heldOut, heldOutPairs);
                    pending.AddRange(evaluation.Select(kv => new MetricPoint(run.Id, kv.Key, trainer.Step, kv.Value, DateTime.UtcNow)));
                }
                if (trainer.Step % LogEvery == 0 || trainer.Step == config.Steps)
                {
                    await metrics.LogAsync(pending, ct);
                    pending.Clear();
                }
            }
            var seconds = clock.Elapsed.TotalSeconds;
            if (config.Steps == 0)
                evaluation = Evaluate(trainer, heldOut, heldOutPairs);
            await metrics.LogAsync([new MetricPoint(run.Id, "train_seconds", trainer.Step, seconds, DateTime.UtcNow)], ct);
            trainer.Save(checkpointPath);
            await runs.SetTagAsync(run.Id, "checkpoint", Path.GetFullPath(checkpointPath), ct);
            await runs.SetStatusAsync(run.Id, RunStatus.Finished, ct: ct);
            return new CriticPretrainOutcome(run.Id, trainer.Step, seconds, Path.GetFullPath(checkpointPath), evaluation);
        }
        catch (OperationCanceledException)
        {
            await runs.SetStatusAsync(run.Id, RunStatus.Cancelled, ct: CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            await runs.SetStatusAsync(run.Id, RunStatus.Failed, e.Message, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// The outcome of <paramref name="run"/> when it already finished and its checkpoint is still on disk (the run id is
    /// keyed by the settings, so training again would replace that run's metrics and re-point its checkpoint), with the
    /// checkpoint and its config copied to <paramref name="checkpointPath"/> when that is another file; else null.
    /// </summary>
    async Task<CriticPretrainOutcome?> ReuseAsync(RunRecord run, string checkpointPath, CancellationToken ct)
    {
        if (run.Status != "finished" || !(await runs.TagsAsync(run.Id, ct)).TryGetValue("checkpoint", out var previous) || !File.Exists(previous)
            || !File.Exists(CheckpointFiles.ConfigPath(previous)))
            return null;
        var target = Path.GetFullPath(checkpointPath);
        if (!string.Equals(target, previous, StringComparison.Ordinal))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            CopyReplacing(previous, target);
            CopyReplacing(CheckpointFiles.ConfigPath(previous), CheckpointFiles.ConfigPath(target));
        }
        var latest = await metrics.LatestAsync(run.Id, ct);
        var heldOut = latest.Where(kv => kv.Key.StartsWith("heldout/", StringComparison.Ordinal)).ToDictionary(kv => kv.Key, kv => kv.Value.Value);
        var (step, seconds) = latest.TryGetValue("train_seconds", out var train) ? train : (0L, double.NaN);
        return new CriticPretrainOutcome(run.Id, step, seconds, target, heldOut) { ReusedFrom = previous };
    }

    /// <summary>Copies through a temporary file next to <paramref name="target"/>, so a reader never sees half a checkpoint.</summary>
    static void CopyReplacing(string source, string target)
    {
        var partial = target + ".partial";
        File.Copy(source, partial, overwrite: true);
        File.Move(partial, target, overwrite: true);
    }

    /// <summary>The held-out mix's accuracies and the contrastive pairs' (<see cref="PairAccuracy"/>) in one set of metrics.</summary>
    static Dictionary<string, double> Evaluate(CriticPretrainer trainer, CriticExample[] heldOut, CriticQuestionPair[] pairs) =>
        trainer.Evaluate(heldOut).Concat(trainer.EvaluatePairs(pairs)).Concat(trainer.EvaluateSceneLabels(heldOut)).ToDictionary();

    /// <summary>Runs a stage before the Yes/No stage until <paramref name="stepOf"/> reaches <paramref name="steps"/> (a resumed trainer continues), logging every <see cref="LogEvery"/> steps.</summary>
    async Task RunStageAsync(Guid runId, Func<long, CriticExample[]> batchOf, int workers, int steps, Func<long> stepOf,
        Func<IReadOnlyList<CriticExample>, IReadOnlyDictionary<string, double>> trainStep, CancellationToken ct)
    {
        if (stepOf() >= steps)
            return;
        var pending = new List<MetricPoint>();
        var first = stepOf();
        using var batches = new BatchPrefetcher<CriticExample[]>(b => batchOf(first + b), workers, count: steps - first);
        while (stepOf() < steps)
        {
            ct.ThrowIfCancellationRequested();
            var step = trainStep(batches.Next());
            pending.AddRange(step.Select(kv => new MetricPoint(runId, kv.Key, stepOf(), kv.Value, DateTime.UtcNow)));
            if (stepOf() % LogEvery == 0 || stepOf() == steps)
            {
                await metrics.LogAsync(pending, ct);
                pending.Clear();
            }
        }
    }
}
