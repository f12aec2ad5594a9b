using NpEdit.Evaluator.Oracle;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Tests.Oracle;

[Collection(OracleCollection.Name)]
public class OracleTrainingFacts
{
    public OracleTrainingFacts() => OracleTestEnvironment.InitializeTorch();

    [Fact]
    public void A_short_supervised_run_learns_to_read_held_out_renders()
    {
        // Thirty small steps are far from the full oracle (bench/RESULTS.md) but show that labels reach the right heads
        // and cells: held-out background and style readings, and the pooled accuracy, rise clearly above the untrained net's.
        // The easy-scenes curriculum is off: it would spend these few steps on flat, plain scenes.
        using var trainer = new OracleTrainer(new OracleTrainConfig { Steps = 30, BatchSize = 8, LearningRate = 3e-3, WarmupSteps = 3, SimplifyUntil = 0, SimplifyFloor = 0 });
        using var parser = new SceneParser(trainer.Network, ownsNetwork: false);
        var before = OracleAccuracy.Measure(parser, scenes: 60, firstIndex: 20_000);

        trainer.Run((_, _) => { });
        var after = OracleAccuracy.Measure(parser, scenes: 60, firstIndex: 20_000);

        string Detail(OracleAccuracyReport r) => string.Join(", ", r.Attributes.Select(a => $"{a.Name} {a.Correct}/{a.Total}"));
        string why = $"before: {Detail(before)}; after: {Detail(after)}";
        Assert.True(after["background"].Accuracy >= before["background"].Accuracy + 0.1, why);
        Assert.True(after["style"].Accuracy >= before["style"].Accuracy + 0.1, why);
        Assert.True(after.Overall >= before.Overall + 0.05, why);
    }

    /// <summary>
    /// One step from the same seed, repeated: every gradient finite and the same each time. On an AMD EPYC (Zen 4) VM with
    /// oneDNN's AVX-512 convolutions, 5 of 8 such steps gave NaN gradients in the first convolution and its norm; this
    /// fails there without <see cref="NpEdit.Trainer.Runtime.OneDnnIsaCap"/>.
    /// </summary>
    [Fact]
    public void Repeated_identical_steps_give_finite_identical_gradients()
    {
        var config = new OracleTrainConfig { Steps = 2, BatchSize = 4, Model = new OracleConfig { Channels = [8, 8, 16, 16], Hidden = 16 } };
        Tensor[] Gradients()
        {
            using var trainer = new OracleTrainer(config);
            trainer.TrainStep();
            return [.. trainer.Network.parameters().Select(p => p.grad!.detach().clone())];
        }

        var first = Gradients();
        Assert.All(first, g => Assert.True(g.isfinite().all().item<bool>(), "a gradient of the first step is not finite"));
        for (var repeat = 0; repeat < 4; repeat++)
        {
            var again = Gradients();
            Assert.All(first.Zip(again), pair =>
            {
                Assert.True(pair.Second.isfinite().all().item<bool>(), $"repeat {repeat}: a gradient is not finite");
                Assert.True(pair.First.allclose(pair.Second, rtol: 1e-4, atol: 1e-6), $"repeat {repeat}: max |Δ| {(pair.First - pair.Second).abs().max().item<float>()}");
            });
        }
    }
}
