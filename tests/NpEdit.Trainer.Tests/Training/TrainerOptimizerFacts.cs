using System.Text.Json.Nodes;
using NpEdit.Core.Config;
using NpEdit.Core.Config.Training;
using NpEdit.Testing;
using NpEdit.Trainer.Optimization;
using NpEdit.Trainer.Training;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Training;

/// <summary>optim.implementation in the NP-Edit trainer: both Adams take the same step, and a flat bf16 run resumes its fp32 masters.</summary>
public sealed class TrainerOptimizerFacts : IDisposable
{
    private static readonly List<EditExample> Examples = TrainingFixtures.Examples(4);
    private readonly TempDirectory temp = new("trainer-optimizer");

    public void Dispose() => temp.Dispose();

    private static NpEditTrainer Trainer(NpEditConfig config)
    {
        var init = TrainingFixtures.Init(Examples.Select(e => e.Sample));
        using (init.DiT)
        using (init.Text)
            return new NpEditTrainer(config, init, new TinyCritic());
    }

    private static NpEditConfig Config(string implementation, Precision precision = Precision.Fp32)
    {
        var required = new JsonObject
        {
            ["data"] = new JsonObject { ["shards"] = new JsonArray("a.parquet") },
            ["generator"] = new JsonObject { ["init"] = "g" },
            ["critic"] = new JsonObject { ["checkpoint"] = "c" },
        };
        var config = ConfigLoader.Resolve<NpEditConfig>(required, sets: [$"optim.implementation={implementation}"]).Value;
        return TrainingFixtures.Config() with
        {
            Optim = TrainingFixtures.Config().Optim with { Implementation = config.Optim.Implementation, Lr = 1e-3 },
            Schedule = new ScheduleSection { WarmupSteps = 1, SingleStepSteps = 0, Unroll = UnrollPolicy.TwoPass, AuxUpdates = 1 },
            Run = TrainingFixtures.Config().Run with { Precision = precision },
        };
    }

    [Fact]
    public void FlatAndTorchAdam_TakeTheSameSteps()
    {
        Assert.Equal(AdamImplementation.Flat, new NpEditConfig().Optim.Implementation);
        using var flat = Trainer(Config("flat"));
        using var torch = Trainer(Config("torch"));
        Assert.IsType<FlatAdam>(flat.GeneratorOptimizer);
        Assert.IsType<TorchAdam>(torch.GeneratorOptimizer);
        var batch = TrainingFixtures.Batch(flat, Examples.Take(2).ToList());

        for (var step = 0; step < 2; step++)    // the identity warmup, then the editing step with an A_φ update
        {
            var (a, b) = (flat.Step(batch), torch.Step(batch));
            Assert.Equal(b["loss/total"], a["loss/total"], 1e-5);
            Assert.Equal(b["grad_norm/generator"], a["grad_norm/generator"], b["grad_norm/generator"] * 1e-5);
        }
        Assert.True(MaxDifference(flat.Generator, torch.Generator) <= 1e-6, $"G_θ differs by {MaxDifference(flat.Generator, torch.Generator)}");
        Assert.True(MaxDifference(flat.Auxiliary, torch.Auxiliary) <= 1e-6, $"A_φ differs by {MaxDifference(flat.Auxiliary, torch.Auxiliary)}");
    }

    [Theory]
    [InlineData(1e-2, 1e-2)]
    [InlineData(0.0, 1e-4)]   // 0: the warm-up trains at optim.lr, as the paper does
    public void WarmupLr_TrainsTheWarmupAtItsRate_AndTheEditingStepsAtLr(double warmupLr, double expectedWarmupRate)
    {
        var config = Config("flat") with
        {
            Optim = Config("flat").Optim with { Lr = 1e-4, WarmupLr = warmupLr },
            Schedule = new ScheduleSection { WarmupSteps = 2, SingleStepSteps = 0, AuxUpdates = 1 },
        };
        using var trainer = Trainer(config);
        var batch = TrainingFixtures.Batch(trainer, Examples.Take(2).ToList());

        var changes = new List<float>();
        for (var step = 0; step < 3; step++)    // two warm-up steps, then an editing step
        {
            var before = TrainingFixtures.Snapshot(trainer.Generator);
            var logs = trainer.Step(batch);
            Assert.Equal(step < 2, logs.ContainsKey("phase/warmup"));
            Assert.Equal(step < 2 ? expectedWarmupRate : 1e-4, trainer.GeneratorOptimizer.LearningRate);
            changes.Add(before.Zip(trainer.Generator.parameters()).Max(p => (p.Second.detach() - p.First).abs().max().item<float>()));
        }
        // Adam's first update moves each weight by about its rate (β1 = 0: g / √v̂ = ±1).
        Assert.InRange(changes[0], 0.5 * expectedWarmupRate, 1.1 * expectedWarmupRate);
        Assert.True(changes[2] < 20 * 1e-4, $"the editing step moved a weight by {changes[2]} at lr 1e-4");
    }

    [Fact]
    public void FlatBf16Run_ResumesItsFp32Masters_AndTheLoadedWeightsStillAliasTheBuffer()
    {
        var config = Config("flat", Precision.Bf16);
        var checkpoint = Path.Combine(temp.Path, "step-1");
        using var straight = Trainer(config);
        var batch = TrainingFixtures.Batch(straight, Examples.Take(2).ToList());
        straight.Step(batch);
        straight.Save(checkpoint);
        var expected = straight.Step(batch);

        using var resumed = Trainer(config);
        resumed.Load(checkpoint);
        var buffer = ((FlatAdam)resumed.GeneratorOptimizer).BufferOf(0);
        using (no_grad())
            Assert.True(cat(resumed.Generator.parameters().Select(p => p.reshape(-1)).ToArray()).Equals(buffer));
        var actual = resumed.Step(batch);

        Assert.Equal(expected["loss/total"], actual["loss/total"]);
        Assert.Equal(expected["grad_norm/generator"], actual["grad_norm/generator"]);
        Assert.Equal(0.0, MaxDifference(straight.Generator, resumed.Generator));
        Assert.Equal(0.0, MaxDifference(straight.Auxiliary, resumed.Auxiliary));
    }

    private static double MaxDifference(nn.Module a, nn.Module b)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return a.parameters().Zip(b.parameters()).Max(pair => (pair.First.to(float32) - pair.Second.to(float32)).abs().max().item<float>());
    }
}
