using System.Diagnostics;
using Npgsql;
using NpEdit.Core.Config;
using NpEdit.Core.Tracking;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// A tracked critic pretraining: the run row (experiment, resolved config), training metrics every
/// <see cref="LogEvery"/> steps and held-out accuracy per question family as run metrics, the checkpoint
/// written with <see cref="CriticCheckpoint"/>.
/// </summary>
public sealed class CriticPretrainRun(NpgsqlDataSource dataSource)
{
    public const string Experiment = "critic-pretrain";
    public const int LogEvery = 10;

    /// <summary>Where the vision stage's examples start in the training stream (far past what the Yes/No stage reads).</summary>
    public const long VisionStreamStart = 1_000_000;

    /// <summary>Where the captioning stage's examples start in the training stream (past the vision stage's).</summary>
    public const long CaptionStreamStart = 2_000_000;

    readonly RunStore runs = new(dataSource);
    readonly MetricStore metrics = new(dataSource);

    /// <param name="resolved">The settings and their JSON (identifies the run).</param>
    /// <param name="checkpointPath">Where the critic goes (a .safetensors file; its config lands next to it).</param>
    /// <param name="progress">Step and latest loss, for a progress bar.</param>
    public async Task<CriticPretrainOutcome> RunAsync(ResolvedConfig<CriticPretrainConfig> resolved, string checkpointPath, Device device,
        IProgress<(long Step, double Loss)>? progress = null, CancellationToken ct = default)
    {
        var config = resolved.Value.Validate();
        var critic = config.Critic();
        var (run, _) = await runs.CreateOrGetAsync(new NewRun(Experiment, "pretrain-critic", resolved.Json)
        {
            Name = $"{config.Preset}-{config.Steps}steps-seed{config.Seed}",
            Device = device.ToString(),
        }, ct);
        await runs.SetStatusAsync(run.Id, RunStatus.Running, ct: ct);
        try
        {
            var heldOut = ShapesCriticData.Stream(ShapesCriticData.HeldOutStream).Take(3 * config.HeldOutPerFamily).ToArray();
            using var trainer = new CriticPretrainer(config, critic, device);
            var pending = new List<MetricPoint>();
            var clock = Stopwatch.StartNew();
            // Vision and captioning stages: each its own stretch of the training stream and its own step count in the metrics.
            await RunStageAsync(run.Id, VisionStreamStart, config.VisionBatchSize, config.VisionSteps, () => trainer.VisionStep, trainer.TrainVisionStep, ct);
            await RunStageAsync(run.Id, CaptionStreamStart, config.BatchSize, config.CaptionSteps, () => trainer.CaptionStep, trainer.TrainCaptionStep, ct);
            using var batches = CriticTrainingBatches.Stream(config).GetEnumerator();
            IReadOnlyDictionary<string, double> evaluation = new Dictionary<string, double>();
            while (trainer.Step < config.Steps)
            {
                ct.ThrowIfCancellationRequested();
                batches.MoveNext();
                var step = trainer.TrainStep(batches.Current);
                pending.AddRange(step.Select(kv => new MetricPoint(run.Id, kv.Key, trainer.Step, kv.Value, DateTime.UtcNow)));
                progress?.Report((trainer.Step, step["loss"]));
                if (trainer.Step % config.EvalEvery == 0 || trainer.Step == config.Steps)
                {
                    evaluation = trainer.Evaluate(heldOut);
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
                evaluation = trainer.Evaluate(heldOut);
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

    /// <summary>Runs a stage before the Yes/No stage until <paramref name="stepOf"/> reaches <paramref name="steps"/> (a resumed trainer continues), logging every <see cref="LogEvery"/> steps.</summary>
    async Task RunStageAsync(Guid runId, long streamStart, int batchSize, int steps, Func<long> stepOf,
        Func<IReadOnlyList<CriticExample>, IReadOnlyDictionary<string, double>> trainStep, CancellationToken ct)
    {
        var pending = new List<MetricPoint>();
        using var batches = ShapesCriticData.Stream(ShapesCriticData.TrainStream, streamStart).Chunk(batchSize).GetEnumerator();
        while (stepOf() < steps)
        {
            ct.ThrowIfCancellationRequested();
            batches.MoveNext();
            var step = trainStep(batches.Current);
            pending.AddRange(step.Select(kv => new MetricPoint(runId, kv.Key, stepOf(), kv.Value, DateTime.UtcNow)));
            if (stepOf() % LogEvery == 0 || stepOf() == steps)
            {
                await metrics.LogAsync(pending, ct);
                pending.Clear();
            }
        }
    }
}
