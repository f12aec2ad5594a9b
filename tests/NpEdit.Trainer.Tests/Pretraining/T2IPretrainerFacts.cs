using NpEdit.Trainer.Models;
using NpEdit.Trainer.Pretraining;
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
}
