using NpEdit.Trainer.Models;
using NpEdit.Trainer.Pretraining;
using NpEdit.Trainer.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Pretraining;

public sealed class T2IPretrainerFacts : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("npedit-t2i-").FullName;

    public T2IPretrainerFacts() => TorchTestEnvironment.Initialize(seed: 17);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static T2IPretrainConfig Tiny(int steps) => new()
    {
        Model = TinyModels.Preset,
        Steps = steps,
        LearningRate = 3e-3,
        WarmupSteps = 0,
        CaptionDropout = 0.1,
    };

    [Fact]
    public void FlowLoss_FallsOverTwentySteps_OnATinyBatch()
    {
        using var trainer = new T2IPretrainer(Tiny(20), TinyModels.Vocabulary);
        var batch = new ImageCaptionBatch(TinyModels.Squares(8, 16), TinyModels.Captions(8));
        var losses = new List<double>();

        var taken = trainer.Run(Enumerable.Repeat(batch, 100), (_, m) => losses.Add(m["loss"]));

        Assert.Equal(20, taken);
        Assert.Equal(20, trainer.Step);
        Assert.True(losses.TakeLast(5).Average() < 0.7 * losses.Take(5).Average(),
            $"loss {string.Join(", ", losses.Select(l => l.ToString("F3")))}");
    }

    [Fact]
    public void TrainStep_WithWeightsOfOne_TakesTheSameStepAsThePlainLoss()
    {
        using var images = TinyModels.Squares(4, 16);
        using var unit = ones(4, 1, 16, 16);
        torch.manual_seed(5);
        using var plain = new T2IPretrainer(Tiny(3), TinyModels.Vocabulary);
        torch.manual_seed(5);
        using var weighted = new T2IPretrainer(Tiny(3), TinyModels.Vocabulary);

        var plainLosses = Enumerable.Range(0, 3).Select(_ => plain.TrainStep(new ImageCaptionBatch(images, TinyModels.Captions(4)))["loss"]).ToArray();
        var weightedLosses = Enumerable.Range(0, 3).Select(_ => weighted.TrainStep(new ImageCaptionBatch(images, TinyModels.Captions(4), unit))["loss"]).ToArray();

        Assert.Equal(plainLosses[0], weightedLosses[0], 5);
        Assert.Equal(plainLosses[2], weightedLosses[2], 4);
    }

    [Fact]
    public void TrainStep_WithObjectWeights_LowersTheLossWhereTheWeightsAre()
    {
        // Weighting the top-left quarter makes training fit it first: its error falls more than with the plain loss.
        using var images = TinyModels.Squares(4, 16);
        using var corner = ones(4, 1, 16, 16);
        corner[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(0, 8), TensorIndex.Slice(0, 8)] = tensor(20f);
        using var noiseGenerator = new torch.Generator(3);
        using var probeNoise = randn(4, 3, 16, 16, generator: noiseGenerator);

        double CornerError(bool weightedLoss)
        {
            torch.manual_seed(5);
            using var trainer = new T2IPretrainer(Tiny(30) with { EmaDecay = 0 }, TinyModels.Vocabulary);
            trainer.Run(Enumerable.Repeat(new ImageCaptionBatch(images, TinyModels.Captions(4), weightedLoss ? corner : null), 30), (_, _) => { });
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var t = full(4, 0.5f);
            var c = trainer.TextEncoder.Encode(TinyModels.Captions(4), CPU);
            var xt = FlowMatching.Interpolate(images, probeNoise, t);
            var error = (trainer.Model.call(xt, t, c.Tokens, c.Mask, null) - FlowMatching.Velocity(images, probeNoise)).square();
            return error[TensorIndex.Colon, TensorIndex.Colon, TensorIndex.Slice(0, 8), TensorIndex.Slice(0, 8)].mean().item<float>();
        }

        Assert.True(CornerError(weightedLoss: true) < CornerError(weightedLoss: false));
    }

    [Fact]
    public void LearningRateAt_WarmsUpThenAnnealsToTheFinalFraction()
    {
        using var trainer = new T2IPretrainer(Tiny(100) with { LearningRate = 1e-3, WarmupSteps = 10, FinalLearningRateFraction = 0.1 }, TinyModels.Vocabulary);

        Assert.Equal(1e-4, trainer.LearningRateAt(0), 12);
        Assert.Equal(1e-3, trainer.LearningRateAt(9), 12);
        Assert.Equal(1e-4, trainer.LearningRateAt(99), 12);
        Assert.Equal(0.55e-3, trainer.LearningRateAt(54), 12);           // half way through the cosine
        var after = Enumerable.Range(9, 91).Select(s => trainer.LearningRateAt(s)).ToArray();
        Assert.True(after.Zip(after.Skip(1)).All(p => p.Second <= p.First));
    }

    [Fact]
    public void LearningRateAt_StaysAtThePeak_WhenTheFinalFractionIsOne()
    {
        using var trainer = new T2IPretrainer(Tiny(100) with { LearningRate = 1e-3, WarmupSteps = 10 }, TinyModels.Vocabulary);

        Assert.All(Enumerable.Range(9, 91), s => Assert.Equal(1e-3, trainer.LearningRateAt(s), 12));
    }

    [Fact]
    public void TrainStep_LeaksNoTensors_OverFiftySteps()
    {
        using var trainer = new T2IPretrainer(Tiny(50), TinyModels.Vocabulary);
        using var images = TinyModels.Squares(4, 16);
        var batch = new ImageCaptionBatch(images, TinyModels.Captions(4));
        var live = new List<long>();

        trainer.Run(Enumerable.Repeat(batch, 50), (_, _) => live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount));

        Assert.Equal(50, live.Count);
        Assert.All(live.Skip(2), n => Assert.Equal(live[1], n));
    }

    [Fact]
    public void SaveThenLoad_GivesIdenticalOutputs()
    {
        using var trainer = new T2IPretrainer(Tiny(2), TinyModels.Vocabulary);
        var batch = new ImageCaptionBatch(TinyModels.Squares(4, 16), TinyModels.Captions(4));
        trainer.Run([batch, batch], (_, _) => { });
        var path = Path.Combine(_dir, "g_init.safetensors");

        trainer.Save(path);
        var (dit, text, config) = GeneratorCheckpoint.Load(path);

        Assert.Equal(TinyModels.Preset.DiT, config.DiT);
        Assert.Equal(TinyModels.Preset.Text, config.Text);
        Assert.Equal(trainer.TextEncoder.Tokenizer.Words, config.Vocabulary);
        Assert.Equal(2, config.Step);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = randn(2, 3, 16, 16);
        var reference = randn(2, 3, 16, 16);
        var t = tensor(new[] { 0.3f, 0.9f });
        var captions = new[] { "a red circle", "remove the blue square" };
        var (savedDit, savedText) = trainer.SamplingModel;
        savedDit.eval();
        savedText.eval();
        var before = savedText.Encode(captions, CPU);
        var after = text.Encode(captions, CPU);
        Assert.True(before.Tokens.Equals(after.Tokens));
        Assert.True(savedDit.call(x, t, before.Tokens, before.Mask, reference).Equals(dit.call(x, t, after.Tokens, after.Mask, reference)));
    }

    [Fact]
    public void LoadCheckpoint_ContinuesTheSameRun_AsIfNeverStopped()
    {
        var batch = new ImageCaptionBatch(TinyModels.Squares(4, 16), TinyModels.Captions(4));
        var checkpoint = Path.Combine(_dir, "step-2");
        using var original = new T2IPretrainer(Tiny(4), TinyModels.Vocabulary);
        original.Run([batch, batch], (_, _) => { });
        original.SaveCheckpoint(checkpoint);
        var continued = new List<double>();
        original.Run([batch, batch], (_, m) => continued.Add(m["loss"]));

        torch.manual_seed(99); // different initial weights: everything must come from the checkpoint
        using var resumed = new T2IPretrainer(Tiny(4), TinyModels.Vocabulary);
        resumed.LoadCheckpoint(checkpoint);
        var afterResume = new List<double>();
        resumed.Run([batch, batch], (_, m) => afterResume.Add(m["loss"]));

        Assert.Equal(4, resumed.Step);
        Assert.Equal(continued, afterResume);
        using var a = original.Sample(["a red square"], steps: 2, seed: 3);
        using var b = resumed.Sample(["a red square"], steps: 2, seed: 3);
        Assert.True(a.Equals(b));
    }

    [Fact]
    public void LoadCheckpoint_Throws_WhenTheFolderHasNoCompleteCheckpoint()
    {
        using var trainer = new T2IPretrainer(Tiny(1), TinyModels.Vocabulary);

        var e = Assert.Throws<FileNotFoundException>(() => trainer.LoadCheckpoint(_dir));
        Assert.Contains("state.json", e.Message);
    }

    [Fact]
    public void Sample_ReturnsImagesInRange()
    {
        using var trainer = new T2IPretrainer(Tiny(1), TinyModels.Vocabulary);
        TinyModels.Perturb(trainer.Model);

        using var images = trainer.Sample(["a red square", "a green circle"], steps: 4, guidanceScale: 2.0);

        Assert.Equal([2, 3, 16, 16], images.shape);
        Assert.True(images.abs().max().item<float>() <= 1f);
        Assert.False(images.isnan().any().item<bool>());
    }

    [Fact]
    public void Constructor_Throws_WhenTheConfigIsInvalid()
    {
        Assert.Throws<ArgumentException>(() => new T2IPretrainer(Tiny(1) with { CaptionDropout = 2 }, TinyModels.Vocabulary));
        Assert.Throws<ArgumentException>(() => new T2IPretrainer(
            Tiny(1) with { Model = TinyModels.Preset with { DiT = TinyModels.Preset.DiT with { TextDim = 48 } } }, TinyModels.Vocabulary));
    }

    [Fact]
    public void Ema_OverTheFlatOptimizersBuffers_AveragesEveryWeightAsTheFormulaSays()
    {
        // The flat EMA (two kernels per buffer) must give θ_ema ← d·θ_ema + (1−d)·θ for every tensor of DiT and text encoder.
        var batch = new ImageCaptionBatch(TinyModels.Squares(4, 16), TinyModels.Captions(4));
        using var trainer = new T2IPretrainer(Tiny(5) with { EmaDecay = 0.5 }, TinyModels.Vocabulary);
        Tensor[] Live() => [.. trainer.Model.parameters().Concat(trainer.TextEncoder.parameters()).Select(p => p.detach().clone())];
        var expected = Live();

        trainer.Run(Enumerable.Repeat(batch, 5), (_, _) => expected = [.. expected.Zip(Live(), (ema, live) => ema * 0.5 + live * 0.5)]);

        var (dit, text) = trainer.SamplingModel;
        var ema = dit.parameters().Concat(text.parameters()).ToArray();
        Assert.Equal(expected.Length, ema.Length);
        Assert.All(ema.Zip(expected), p => Assert.True(p.First.allclose(p.Second, rtol: 1e-5, atol: 1e-7)));
        Assert.Contains(ema.Zip(Live()), p => !p.First.allclose(p.Second));   // the EMA lags the trained weights
    }

    [Fact]
    public void EndScheduleAt_EndsTheDecayThere_OnlyDuringTheWarmUp()
    {
        using var trainer = new T2IPretrainer(Tiny(1000) with { LearningRate = 1e-3, WarmupSteps = 3, FinalLearningRateFraction = 0.1 }, TinyModels.Vocabulary);
        var batch = new ImageCaptionBatch(TinyModels.Squares(4, 16), TinyModels.Captions(4));
        var warmUp = Enumerable.Range(0, 3).Select(s => trainer.LearningRateAt(s)).ToArray();
        trainer.Run([batch, batch], (_, _) => { });

        trainer.EndScheduleAt(20);

        Assert.Equal(warmUp, Enumerable.Range(0, 3).Select(s => trainer.LearningRateAt(s)));
        Assert.Equal(20, trainer.Config.Steps);
        Assert.Equal(1e-4, trainer.LearningRateAt(19), 12);
        trainer.Run(Enumerable.Repeat(batch, 100), (_, _) => { });
        Assert.Equal(20, trainer.Step);
        Assert.Throws<InvalidOperationException>(() => trainer.EndScheduleAt(40));
    }

    [Fact]
    public void NoiseOnDevice_IsSeeded_AndAnotherStreamThanTheCheckpointedOne()
    {
        var batch = new ImageCaptionBatch(TinyModels.Squares(4, 16), TinyModels.Captions(4));
        double[] Losses(bool onDevice)
        {
            torch.manual_seed(5);
            using var trainer = new T2IPretrainer(Tiny(3) with { NoiseOnDevice = onDevice }, TinyModels.Vocabulary);
            var losses = new List<double>();
            trainer.Run(Enumerable.Repeat(batch, 3), (_, m) => losses.Add(m["loss"]));
            return [.. losses];
        }

        var device = Losses(onDevice: true);

        Assert.Equal(device, Losses(onDevice: true));
        Assert.NotEqual(device, Losses(onDevice: false));
        Assert.All(device, l => Assert.True(double.IsFinite(l)));
    }
}
