using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Runtime;

/// <summary>End-to-end check of the CPU runtime: autograd, an optimizer, and scope-based memory.</summary>
public class TorchTrainingFacts
{
    public TorchTrainingFacts() => TorchTestEnvironment.Initialize(seed: 1);

    [Fact]
    public void TinyMlp_LossDecreasesOverTenAdamSteps_WithNoLiveTensorGrowth()
    {
        var model = nn.Sequential(("fc1", nn.Linear(4, 32)), ("act", nn.GELU()), ("fc2", nn.Linear(32, 1)));
        var optimizer = optim.Adam(model.parameters(), lr: 3e-2);
        var x = randn(64, 4);
        var y = (x * tensor(new[] { 1f, -2f, 0.5f, 3f })).sum(1, keepdim: true);
        var losses = new List<float>();
        var liveAfterStep = new List<long>();
        DisposeScopeManager.Statistics.Reset();

        for (var step = 0; step < 10; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.mse_loss(model.call(x), y);
            loss.backward();
            optimizer.step();
            losses.Add(loss.item<float>());
            scope.Dispose();
            liveAfterStep.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }

        Assert.True(losses[^1] < 0.5f * losses[0], $"loss {losses[0]} -> {losses[^1]}");
        Assert.All(liveAfterStep.Skip(1), live => Assert.Equal(liveAfterStep[1], live));
    }
}
