using NpEdit.Core.Config;
using NpEdit.Core.Config.Training;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Models.Critic;
using NpEdit.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Training;

/// <summary>Algorithm 1's step: which networks each phase updates, where gradients flow, and the non-finite guard.</summary>
public sealed class NpEditTrainerFacts
{
    private static readonly List<EditExample> Examples = TrainingFixtures.Examples(12);

    private static NpEditTrainer Trainer(NpEditConfig config, TinyCritic? critic = null)
    {
        var init = TrainingFixtures.Init(Examples.Select(e => e.Sample));
        using (init.DiT)
        using (init.Text)
            return new NpEditTrainer(config, init, critic ?? new TinyCritic());
    }

    [Fact]
    public void Unroll_BackPropagatesThroughBothPasses()
    {
        using var trainer = Trainer(TrainingFixtures.Config());
        using var scope = NewDisposeScope();
        var batch = TrainingFixtures.Batch(trainer, Examples.Take(3).ToList());
        var c = trainer.TextEncoder.Encode(Examples.Take(3).Select(e => e.Sample.Instruction).ToArray(), trainer.Device);
        using var g = new torch.Generator(3);

        var (first, x0) = trainer.Unroll(randn(batch.References.shape, generator: g), 0.5, c, batch.References, g);

        // The first pass's x̂0 is part of the graph of the final x0 (no stop-gradient between the passes) ...
        Assert.NotSame(first, x0);
        Assert.True(first.requires_grad);
        var throughSecond = torch.autograd.grad([x0.sum()], [first], retain_graph: true)[0];
        Assert.True(throughSecond.abs().sum().item<float>() > 0);
        // ... and the gradient differs from (1 − t)·1, the value it would have if the second pass ignored its input.
        Assert.False(throughSecond.allclose(full_like(throughSecond, 0.5)));
        // The parameters receive a gradient through both passes.
        x0.sum().backward();
        Assert.Contains(trainer.Generator.parameters(), p => p.grad is not null && p.grad.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void GeneratorStep_UpdatesOnlyTheGenerator()
    {
        using var trainer = Trainer(TrainingFixtures.Config() with { Schedule = new ScheduleSection { WarmupSteps = 0, SingleStepSteps = 0, AuxUpdates = 1 } });
        using var scope = NewDisposeScope();
        var (g, a, t) = (TrainingFixtures.Snapshot(trainer.Generator), TrainingFixtures.Snapshot(trainer.Auxiliary), TrainingFixtures.Snapshot(trainer.Teacher));

        var logs = trainer.GeneratorStep(TrainingFixtures.Batch(trainer, Examples.Take(4).ToList()));

        Assert.True(logs["loss/dmd"] > 0 && logs["loss/vlm"] > 0, string.Join(", ", logs));
        Assert.False(logs.ContainsKey("skipped"));                       // a finite step is applied, not skipped
        Assert.False(TrainingFixtures.Same(g, trainer.Generator));
        Assert.True(TrainingFixtures.Same(a, trainer.Auxiliary));
        Assert.True(TrainingFixtures.Same(t, trainer.Teacher));
        Assert.All(trainer.Auxiliary.parameters().Concat(trainer.Teacher.parameters()), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
    }

    [Fact]
    public void GeneratorStep_TrainsThroughARealLlavaOnevisionCritic_WithoutChangingIt()
    {
        TorchTestEnvironment.Initialize();
        using var critic = new LlavaOnevisionCritic(new LlavaOnevisionModel(Critic.TinyCritics.Model()), Critic.TinyCritics.Tokenizer, Critic.TinyCritics.Config());
        var init = TrainingFixtures.Init(Examples.Select(e => e.Sample));
        var config = TrainingFixtures.Config(Objective.OnlyVlm) with { Schedule = new ScheduleSection { WarmupSteps = 0, AuxUpdates = 0 } };
        using var trainer = new NpEditTrainer(config, init, critic);
        init.DiT.Dispose();
        init.Text.Dispose();
        using var scope = NewDisposeScope();
        var (g, c) = (TrainingFixtures.Snapshot(trainer.Generator), TrainingFixtures.Snapshot(critic.Module));

        var logs = trainer.GeneratorStep(TrainingFixtures.Batch(trainer, Examples.Skip(3).Take(2).ToList()));   // an add and a removal

        Assert.True(double.IsFinite(logs["loss/vlm"]) && logs["loss/vlm"] > 0);
        Assert.Contains("p_correct/edit/remove", logs.Keys);
        Assert.True(logs["grad_norm/generator"] > 0);
        Assert.False(TrainingFixtures.Same(g, trainer.Generator));
        Assert.True(TrainingFixtures.Same(c, critic.Module));
    }

    [Theory]
    [InlineData(AdamImplementation.Flat)]
    [InlineData(AdamImplementation.Torch)]
    public void Bf16_ComputesInBf16_AndUpdatesFp32Masters(AdamImplementation implementation)
    {
        var config = TrainingFixtures.Config() with
        {
            Schedule = new ScheduleSection { WarmupSteps = 0, SingleStepSteps = 0, Unroll = UnrollPolicy.TwoPass, AuxUpdates = 1 },
            Run = TrainingFixtures.Config().Run with { Precision = Precision.Bf16 },
        };
        config = config with { Optim = config.Optim with { Implementation = implementation } };
        using var trainer = Trainer(config);
        var (g, a, t) = (TrainingFixtures.Snapshot(trainer.Generator), TrainingFixtures.Snapshot(trainer.Auxiliary), TrainingFixtures.Snapshot(trainer.Teacher));

        var logs = trainer.Step(TrainingFixtures.Batch(trainer, Examples.Take(2).ToList()));

        Assert.Equal(0, logs["skipped"]);
        Assert.All(new[] { "loss/total", "loss/vlm", "loss/dmd", "loss/aux", "grad_norm/generator", "grad_norm/aux" },
            key => Assert.True(double.IsFinite(logs[key]) && logs[key] > 0, $"{key} = {logs[key]}"));
        Assert.All(trainer.Generator.parameters().Concat(trainer.Auxiliary.parameters()).Concat(trainer.Teacher.parameters()),
            p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        // The bf16 copies took the masters' new values; the frozen teacher did not move.
        Assert.False(TrainingFixtures.Same(g, trainer.Generator));
        Assert.False(TrainingFixtures.Same(a, trainer.Auxiliary));
        Assert.True(TrainingFixtures.Same(t, trainer.Teacher));
    }

    [Fact]
    public void AuxiliaryUpdates_NeverTouchTheGeneratorOrTheTeacher()
    {
        using var trainer = Trainer(TrainingFixtures.Config() with { Schedule = new ScheduleSection { WarmupSteps = 0, AuxUpdates = 2 } });
        using var scope = NewDisposeScope();
        var (g, a, t) = (TrainingFixtures.Snapshot(trainer.Generator), TrainingFixtures.Snapshot(trainer.Auxiliary), TrainingFixtures.Snapshot(trainer.Teacher));

        var logs = trainer.AuxiliaryUpdates(TrainingFixtures.Batch(trainer, Examples.Take(4).ToList()));

        Assert.True(logs["loss/aux"] > 0);
        Assert.True(TrainingFixtures.Same(g, trainer.Generator));
        Assert.False(TrainingFixtures.Same(a, trainer.Auxiliary));
        Assert.True(TrainingFixtures.Same(t, trainer.Teacher));
    }

    [Fact]
    public void Warmup_ReconstructsTheInput_WithTheFlowLossOnly()
    {
        var critic = new TinyCritic();
        using var trainer = Trainer(TrainingFixtures.Config() with { Schedule = new ScheduleSection { WarmupSteps = 2, AuxUpdates = 3 } }, critic);
        var a = TrainingFixtures.Snapshot(trainer.Auxiliary);
        var batch = TrainingFixtures.Batch(trainer, Examples.Take(4).ToList());

        var logs = trainer.Step(batch);

        Assert.Equal(1, logs["phase/warmup"]);
        Assert.True(logs.ContainsKey("loss/warmup"));
        Assert.DoesNotContain(logs.Keys, k => k.StartsWith("loss/vlm") || k == "loss/dmd" || k == "loss/aux");
        Assert.Empty(critic.Asked);
        Assert.True(TrainingFixtures.Same(a, trainer.Auxiliary));
    }

    [Fact]
    public void DoNothing_IsDrawnWithItsProbability()
    {
        using var trainer = Trainer(TrainingFixtures.Config() with { Loss = new LossSection { DoNothingProbability = 0.01 } });

        var share = trainer.DrawDoNothing(200_000).Count(d => d) / 200_000.0;

        Assert.InRange(share, 0.009, 0.011);
    }

    [Fact]
    public void DoNothingSamples_GetTheL2LossAndNoCriticQuestion()
    {
        var critic = new TinyCritic();
        var config = TrainingFixtures.Config() with { Loss = new LossSection { DoNothingProbability = 1 }, Schedule = new ScheduleSection { WarmupSteps = 0 } };
        using var trainer = Trainer(config, critic);
        using var scope = NewDisposeScope();

        var logs = trainer.GeneratorStep(TrainingFixtures.Batch(trainer, Examples.Take(4).ToList()));

        Assert.Equal(4, logs["do_nothing/count"]);
        Assert.True(logs["loss/do_nothing"] > 0);
        Assert.Equal(logs["loss/do_nothing"], logs["loss/total"], 5);
        Assert.Empty(critic.Asked);
        Assert.False(logs.ContainsKey("loss/dmd"));
    }

    [Fact]
    public void NonFiniteLoss_SkipsTheUpdate_AndAbortsAfterKInARow()
    {
        var critic = new TinyCritic { ReturnNaN = true };
        var config = TrainingFixtures.Config() with
        {
            Schedule = new ScheduleSection { WarmupSteps = 0, AuxUpdates = 0 },
            Run = new RunSection { MaxNonFiniteInARow = 3 },
        };
        using var trainer = Trainer(config, critic);
        var g = TrainingFixtures.Snapshot(trainer.Generator);
        var batch = TrainingFixtures.Batch(trainer, Examples.Take(2).ToList());

        var first = trainer.Step(batch);
        trainer.Step(batch);
        var error = Assert.Throws<TrainingDivergedException>(() => trainer.Step(batch));

        Assert.Equal(1, first["skipped"]);
        Assert.True(TrainingFixtures.Same(g, trainer.Generator));
        Assert.Equal(3, trainer.Guard.Skipped);
        Assert.Contains("3 steps in a row", error.Message);
        Assert.Contains("--resume", error.Message);
    }

    [Fact]
    public void Constructor_RefusesAnObjectiveWithTheVlmTerm_WithoutACritic()
    {
        var init = TrainingFixtures.Init(Examples.Select(e => e.Sample));
        using (init.DiT)
        using (init.Text)
        {
            var error = Assert.Throws<ArgumentException>(() => new NpEditTrainer(TrainingFixtures.Config(), init, critic: null));
            Assert.Contains("only_dmd", error.Message);
        }
    }
}
