using NpEdit.Trainer.Losses;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Losses;

public class DistributionMatchingLossFacts
{
    public DistributionMatchingLossFacts() => TorchTestEnvironment.Initialize(seed: 11);

    [Fact]
    public void Gradient_MovesTheOutputTowardTheTeacherPrediction()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 8, 8).requires_grad_();
        var x0Real = randn(2, 3, 8, 8);
        var x0Fake = x.detach().clone();   // the fake score model sits on the generator's own samples

        var terms = DistributionMatchingLoss.Compute(x, x0Real, x0Fake);
        terms.Loss.backward();
        using var stepped = (x.detach() - 10.0 * x.grad!);

        var before = (x.detach() - x0Real).pow(2).sum().item<float>();
        var after = (stepped - x0Real).pow(2).sum().item<float>();
        Assert.True(after < before, $"a descent step should approach the teacher: {before} -> {after}");
    }

    [Fact]
    public void Gradient_EqualsTheNormalisedPredictionGap_OverNumel()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 4, 4).requires_grad_();
        var x0Real = randn(2, 3, 4, 4);
        var x0Fake = randn(2, 3, 4, 4);

        DistributionMatchingLoss.Compute(x, x0Real, x0Fake).Loss.backward();

        var w = (x.detach() - x0Real).abs().mean([1, 2, 3], keepdim: true);
        var expected = (x0Fake - x0Real) / w / x.numel();
        Assert.True(allclose(x.grad!, expected, rtol: 1e-4, atol: 1e-7));
    }

    [Fact]
    public void Loss_IsZeroAndFinite_WhenFakeEqualsReal()
    {
        using var scope = NewDisposeScope();
        var x = randn(1, 3, 4, 4).requires_grad_();
        var same = randn(1, 3, 4, 4);

        var terms = DistributionMatchingLoss.Compute(x, same, same);

        Assert.Equal(0.0, terms.Logs["loss/dmd"], 9);
        Assert.Equal(0.0, terms.Logs["dmd/grad_norm"], 9);
        Assert.True(terms.Logs["dmd/weight"] > 0);
    }

    [Fact]
    public void Loss_StaysFinite_WhenTheTeacherMatchesTheOutputExactly()
    {
        using var scope = NewDisposeScope();
        var x = randn(1, 3, 4, 4).requires_grad_();

        var terms = DistributionMatchingLoss.Compute(x, x.detach().clone(), randn(1, 3, 4, 4));

        Assert.True(double.IsFinite(terms.Logs["loss/dmd"]));
    }
}
