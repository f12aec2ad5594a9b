using NpEdit.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Training;

/// <summary>Activation checkpointing (run.activation_checkpointing) changes memory, never results.</summary>
public sealed class CheckpointedPassFacts
{
    private static readonly List<EditExample> Examples = TrainingFixtures.Examples(3);

    private static (float[] X0, float[][] Grads) UnrollAndBackward(bool checkpointing)
    {
        var init = TrainingFixtures.Init(Examples.Select(e => e.Sample));
        var config = TrainingFixtures.Config() with { Run = TrainingFixtures.Config().Run with { ActivationCheckpointing = checkpointing } };
        using var trainer = new NpEditTrainer(config, init, new TinyCritic());
        init.DiT.Dispose();
        init.Text.Dispose();
        using var scope = NewDisposeScope();
        var batch = TrainingFixtures.Batch(trainer, Examples);
        var c = trainer.TextEncoder.Encode(Examples.Select(e => e.Sample.Instruction).ToArray(), trainer.Device);
        using var g = new torch.Generator(21);

        var (_, x0) = trainer.Unroll(randn(batch.References.shape, generator: g), 0.5, c, batch.References, g);   // both passes
        (x0 - batch.References).square().mean().backward();

        return (x0.detach().flatten().data<float>().ToArray(),
                trainer.Generator.parameters().Select(p => p.grad!.flatten().data<float>().ToArray()).ToArray());
    }

    [Fact]
    public void CheckpointedUnroll_GivesTheSameOutputAndParameterGradients()
    {
        var plain = UnrollAndBackward(checkpointing: false);
        var checkpointed = UnrollAndBackward(checkpointing: true);

        Assert.Equal(plain.X0, checkpointed.X0);
        Assert.Equal(plain.Grads.Length, checkpointed.Grads.Length);
        Assert.Contains(plain.Grads, grad => grad.Any(v => v != 0));
        foreach (var (a, b) in plain.Grads.Zip(checkpointed.Grads))
            Assert.All(a.Zip(b), pair => Assert.Equal(pair.First, pair.Second, 1e-5f));
    }
}
