using NpEdit.Evaluator.Oracle;

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
}
