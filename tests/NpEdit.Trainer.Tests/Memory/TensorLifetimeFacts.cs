using NpEdit.Core.Config.Training;
using NpEdit.Core.Shards;
using NpEdit.Testing;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Critic.Shapes;
using NpEdit.Trainer.Models.Critic;
using NpEdit.Trainer.Pretraining;
using NpEdit.Trainer.Tests.Critic;
using NpEdit.Trainer.Tests.Training;
using NpEdit.Trainer.Training;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Memory;

/// <summary>
/// Issue 4/7's memory discipline over whole training loops: every tensor a loop creates is disposed by its code
/// (a dispose scope or an explicit Dispose), none is left to its finalizer, and the number of live tensors does not
/// grow from step to step. Tensors left to finalizers hold native memory the GC cannot see, for as long as the GC
/// does not run (TorchGcGuard).
/// </summary>
public sealed class TensorLifetimeFacts : IDisposable
{
    private readonly TempDirectory temp = new("npedit-tensors");

    public void Dispose() => temp.Dispose();

    /// <summary>
    /// NP-Edit's loop with everything around the step: batches read from Parquet shards, the full objective with a
    /// real LLaVA-OneVision critic, warmup, single- and two-pass unrolling, A_φ updates, metrics windows, two
    /// checkpoints and two sample grids.
    /// </summary>
    [Fact]
    public async Task NpEditRun_DisposesEveryTensor_ItsStepsCheckpointsAndSampleGridsCreate()
    {
        var shards = Path.Combine(temp.Path, "shards");
        await ShardWriter.WriteAsync(Path.Combine(shards, "part-0.parquet"), TrainingFixtures.Rows(12));
        var config = TrainingFixtures.Config();
        config = config with
        {
            Data = config.Data with { Shards = [shards] },
            Loss = config.Loss with { DoNothingProbability = 0.2 },
            Schedule = config.Schedule with { Steps = 8, WarmupSteps = 1, SingleStepSteps = 1, AuxUpdates = 1 },
            Run = config.Run with { MetricsEvery = 2, CheckpointEvery = 4, SamplesEvery = 4, SampleGridItems = 2 },
        };
        var dataset = await EditDataset.LoadAsync(config.Data.Shards);
        TorchTestEnvironment.Initialize();
        using var critic = new LlavaOnevisionCritic(new LlavaOnevisionModel(TinyCritics.Model()), TinyCritics.Tokenizer, TinyCritics.Config());
        var init = TrainingFixtures.Init(dataset.Rows.Select(r => r.Sample));
        NpEditTrainer trainer;
        using (init.DiT)
        using (init.Text)
            trainer = new NpEditTrainer(config, init, critic);
        var sampler = new EditBatchSampler(dataset.Rows, config.Data.Fraction, config.Data.RemovalProbability, config.Data.Seed);
        var run = new NpEditRun(config, trainer, sampler, null, Path.Combine(temp.Path, "run"), null);
        var finalizedBefore = FinalizedTensors.Count();
        var live = new List<long>();

        using (trainer)
            await run.RunAsync((_, _) => live.Add(Tensor.TotalCount));

        Assert.Equal(0, FinalizedTensors.Count() - finalizedBefore);
        // From the first step after warmup on, both Adam states exist; nothing may accumulate after that.
        Assert.All(live.Skip(2), n => Assert.Equal(live[1], n));
    }

    /// <summary>G_init pretraining: steps with EMA, sampling for the evaluation grid, and a resumable checkpoint.</summary>
    [Fact]
    public void T2IPretrainer_DisposesEveryTensor_ItsStepsSamplesAndCheckpointsCreate()
    {
        TorchTestEnvironment.Initialize(seed: 17);
        using var trainer = new T2IPretrainer(new T2IPretrainConfig { Model = TinyModels.Preset, Steps = 10, LearningRate = 3e-3, WarmupSteps = 0, CaptionDropout = 0.1 }, TinyModels.Vocabulary);
        using var images = TinyModels.Squares(4, 16);
        var finalizedBefore = FinalizedTensors.Count();
        var live = new List<long>();

        for (var step = 0; step < 6; step++)
        {
            trainer.TrainStep(new ImageCaptionBatch(images, TinyModels.Captions(4)));
            using (trainer.Sample(TinyModels.Captions(2), steps: 2))
                trainer.SaveCheckpoint(Path.Combine(temp.Path, "t2i", $"step-{step}"));
            live.Add(Tensor.TotalCount);
        }

        Assert.Equal(0, FinalizedTensors.Count() - finalizedBefore);
        Assert.All(live.Skip(1), n => Assert.Equal(live[0], n));
    }

    /// <summary>Critic pretraining: the vision stage, the Yes/No steps with every auxiliary head, held-out evaluation and the saved critic.</summary>
    [Fact]
    public void CriticPretrainer_DisposesEveryTensor_ItsStepsEvaluationAndCheckpointCreate()
    {
        TorchTestEnvironment.Initialize(seed: 2);
        var config = new CriticPretrainConfig
        {
            Steps = 10, BatchSize = 6, VisionSteps = 3, VisionBatchSize = 6, LearningRate = 5e-3, WarmupSteps = 2, Seed = 1,
            CaptionLossWeight = 1, SceneLabelLossWeight = 1, KindLossWeight = 1, ChangeLossWeight = 1,
        };
        using var trainer = new CriticPretrainer(config, CriticPretrainerFacts.TinyShapesCritic());
        var batches = ShapesCriticData.Stream(ShapesCriticData.TrainStream).Chunk(6).Take(10).ToArray();
        var finalizedBefore = FinalizedTensors.Count();
        var live = new List<long>();

        foreach (var batch in batches.Take(3))
            trainer.TrainVisionStep(batch);
        foreach (var batch in batches.Skip(3).Take(5))
        {
            trainer.TrainStep(batch);
            trainer.Evaluate(batches[8], chunk: 4);
            trainer.Save(Path.Combine(temp.Path, "critic.safetensors"));
            live.Add(Tensor.TotalCount);
        }

        Assert.Equal(0, FinalizedTensors.Count() - finalizedBefore);
        Assert.All(live.Skip(1), n => Assert.Equal(live[0], n));
    }
}
