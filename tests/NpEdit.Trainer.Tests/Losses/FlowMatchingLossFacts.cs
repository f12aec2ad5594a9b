using NpEdit.Trainer.Losses;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Losses;

public class FlowMatchingLossFacts
{
    public FlowMatchingLossFacts() => TorchTestEnvironment.Initialize(seed: 7);

    [Fact]
    public void Compute_IsZero_WhenThePredictionIsTheTrueVelocity()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 4, 4);
        var noise = randn(2, 3, 4, 4);

        var terms = FlowMatchingLoss.Compute(noise - x, x, noise, "warmup");

        Assert.Equal(0.0, terms.Logs["loss/warmup"], 9);
    }

    [Fact]
    public void DoNothing_IsTheMeanSquaredDistanceToTheInput()
    {
        using var scope = NewDisposeScope();
        var x = ones(1, 3, 2, 2);
        var y = zeros(1, 3, 2, 2);

        Assert.Equal(1.0, DoNothingLoss.Compute(x, y).Logs["loss/do_nothing"], 9);
    }
}
