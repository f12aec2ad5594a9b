using NpEdit.Trainer.Sampling;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Sampling;

public class FlowMatchingFacts
{
    public FlowMatchingFacts() => TorchTestEnvironment.Initialize(seed: 11);

    [Fact]
    public void VelocityAndX0_SatisfyTheFlowIdentities()
    {
        using var scope = NewDisposeScope();
        var x = randn(4, 3, 8, 8);
        var eps = randn(4, 3, 8, 8);
        var t = tensor(new[] { 0f, 0.25f, 0.7f, 1f });

        var xt = FlowMatching.Interpolate(x, eps, t);
        var v = FlowMatching.Velocity(x, eps);

        Assert.True(xt[0].allclose(x[0]));
        Assert.True(xt[3].allclose(eps[3]));
        Assert.True(FlowMatching.PredictX0(xt, t, v).allclose(x, atol: 1e-5));
        Assert.True(FlowMatching.PredictNoise(xt, t, v).allclose(eps, atol: 1e-5));
        // v is the time derivative of the path: a finite difference along t recovers it.
        var dt = 1e-2f;
        var ahead = FlowMatching.Interpolate(x, eps, t * (1 - dt) + dt);
        Assert.True(((ahead - xt) / ((1 - t) * dt).view(4, 1, 1, 1))[..3].allclose(v[..3], atol: 1e-3));
    }

    [Fact]
    public void Shift_MapsThePaperGridToTheRepoGrid()
    {
        var shifted = new[] { 1.0, 0.75, 0.5, 0.25 }.Select(t => FlowMatching.Shift(t, 6)).ToArray();

        Assert.Equal([1.0, 0.9474, 0.8571, 0.6667], shifted.Select(s => Math.Round(s, 4)));
        Assert.Equal(0.3, FlowMatching.Shift(0.3, 1), 12);
    }

    [Fact]
    public void SampleLogitNormal_StaysInsideTheUnitInterval()
    {
        using var scope = NewDisposeScope();
        var t = FlowMatching.SampleLogitNormal(10_000, 0, 1, CPU);

        Assert.True(t.gt(0).all().item<bool>() && t.lt(1).all().item<bool>());
        Assert.InRange(t.mean().item<float>(), 0.48f, 0.52f);
    }
}
