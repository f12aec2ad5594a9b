using NpEdit.Trainer.Sampling;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Sampling;

public class SamplerFacts
{
    public SamplerFacts() => TorchTestEnvironment.Initialize(seed: 13);

    [Theory]
    [InlineData(1, new[] { 1.0 })]
    [InlineData(2, new[] { 1.0, 0.5 })]
    [InlineData(4, new[] { 1.0, 0.75, 0.5, 0.25 })]
    [InlineData(8, new[] { 1.0, 0.875, 0.75, 0.625, 0.5, 0.375, 0.25, 0.125 })]
    public void FewStepGrid_IsThePaperGrid(int steps, double[] grid)
    {
        Assert.Equal(grid, FewStepSampler.Grid(steps));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(16)]
    public void FewStepGrid_RejectsUnsupportedStepCounts(int steps)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => FewStepSampler.Grid(steps));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(8)]
    public void FewStep_VisitsTheGridAndReturnsX0_WithAnExactVelocity(int steps)
    {
        using var scope = NewDisposeScope();
        var x0 = randn(2, 3, 8, 8);
        var seen = new List<float>();
        Tensor Oracle(Tensor x, Tensor t)
        {
            seen.Add(t[0].item<float>());
            return (x - x0) / t.view(-1, 1, 1, 1);                       // v such that x_t − t·v = x0
        }

        var sample = FewStepSampler.Sample(Oracle, randn(2, 3, 8, 8), steps);

        Assert.Equal(FewStepSampler.Grid(steps).Select(t => (float)t), seen);
        Assert.True(sample.allclose(x0, atol: 1e-5));
    }

    [Fact]
    public void FewStep_ReNoisesWithFreshNoise()
    {
        using var scope = NewDisposeScope();
        var noise = randn(1, 3, 8, 8);
        var x0 = zeros(1, 3, 8, 8);
        var inputs = new List<Tensor>();
        Tensor Oracle(Tensor x, Tensor t)
        {
            inputs.Add(x.clone().MoveToOuterDisposeScope());
            return (x - x0) / t.view(-1, 1, 1, 1);
        }

        FewStepSampler.Sample(Oracle, noise, 2);

        // At t = 0.5 the input is 0.5·ε′ with ε′ fresh, not the starting noise.
        Assert.False(inputs[1].allclose(noise * 0.5, atol: 1e-3));
    }

    [Fact]
    public void Euler_IntegratesTheStraightPathExactly()
    {
        using var scope = NewDisposeScope();
        var x0 = randn(2, 3, 8, 8);
        var noise = randn(2, 3, 8, 8);
        var v = noise - x0;

        var sample = EulerSampler.Sample((_, _) => v.alias(), noise, steps: 5);

        Assert.Equal([1.0, 0.8, 0.6, 0.4, 0.2, 0.0], EulerSampler.Schedule(5).Select(t => Math.Round(t, 10)));
        Assert.True(sample.allclose(x0, atol: 1e-5));
    }

    [Fact]
    public void Guided_CombinesConditionalAndNegativeFields()
    {
        using var scope = NewDisposeScope();
        var x = zeros(1, 1, 2, 2);
        var t = ones(1);
        VelocityField cond = (_, _) => full(1, 1, 2, 2, 3f);
        VelocityField neg = (_, _) => full(1, 1, 2, 2, 1f);

        Assert.Equal(3f, EulerSampler.Guided(cond, neg, 1.0)(x, t).mean().item<float>());
        Assert.Equal(1f, EulerSampler.Guided(cond, neg, 0.0)(x, t).mean().item<float>());
        Assert.Equal(9f, EulerSampler.Guided(cond, neg, 4.0)(x, t).mean().item<float>());
    }
}
