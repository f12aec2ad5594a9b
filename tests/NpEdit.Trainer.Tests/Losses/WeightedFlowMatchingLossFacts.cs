using NpEdit.Trainer.Losses;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Losses;

public class WeightedFlowMatchingLossFacts
{
    public WeightedFlowMatchingLossFacts() => TorchTestEnvironment.Initialize(seed: 11);

    [Fact]
    public void Compute_EqualsThePlainFlowLoss_WhenEveryWeightIsOne()
    {
        using var scope = NewDisposeScope();
        var (predicted, x, noise) = (randn(3, 3, 8, 8), randn(3, 3, 8, 8), randn(3, 3, 8, 8));

        var weighted = WeightedFlowMatchingLoss.Compute(predicted, x, noise, ones(3, 1, 8, 8)).item<float>();
        var plain = FlowMatchingLoss.Compute(predicted, x, noise, "t2i").Logs["loss/t2i"];

        Assert.Equal(plain, weighted, 5);
    }

    [Fact]
    public void Compute_IsUnchanged_WhenEveryWeightIsScaled()
    {
        using var scope = NewDisposeScope();
        var (predicted, x, noise) = (randn(2, 3, 4, 4), randn(2, 3, 4, 4), randn(2, 3, 4, 4));
        var weights = rand(2, 1, 4, 4) + 0.5;

        var once = WeightedFlowMatchingLoss.Compute(predicted, x, noise, weights).item<float>();
        var tenTimes = WeightedFlowMatchingLoss.Compute(predicted, x, noise, weights * 10).item<float>();

        Assert.Equal(once, tenTimes, 5);
    }

    [Fact]
    public void Compute_IsTheErrorOfTheWeightedPixels_WhenOnlyTheyCount()
    {
        using var scope = NewDisposeScope();
        var x = zeros(1, 3, 2, 2);
        var noise = zeros(1, 3, 2, 2);
        var predicted = zeros(1, 3, 2, 2);
        predicted[0, TensorIndex.Colon, 0, 0] = tensor(2f);                   // error 4 per channel at one pixel
        var weights = zeros(1, 1, 2, 2);

        weights[0, 0, 0, 0] = tensor(1f);
        Assert.Equal(4.0, WeightedFlowMatchingLoss.Compute(predicted, x, noise, weights).item<float>(), 5);
        weights[0, 0, 0, 0] = tensor(0f);
        weights[0, 0, 1, 1] = tensor(1f);
        Assert.Equal(0.0, WeightedFlowMatchingLoss.Compute(predicted, x, noise, weights).item<float>(), 5);
    }

    [Fact]
    public void Compute_Throws_WhenTheWeightsDoNotMatchTheImages()
    {
        using var scope = NewDisposeScope();
        var x = zeros(2, 3, 4, 4);

        var e = Assert.Throws<ArgumentException>(() => WeightedFlowMatchingLoss.Compute(x, x, x, ones(2, 3, 4, 4)));
        Assert.Contains("(N, 1, H, W)", e.Message);
    }
}
