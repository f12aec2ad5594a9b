using System.Text.Json;
using NpEdit.Core.Config;
using NpEdit.Evaluator.Oracle;

namespace NpEdit.Evaluator.Tests.Oracle;

/// <summary>The oracle's optimisation settings are the shared section's, at the top level of its config.</summary>
public sealed class OracleTrainConfigFacts
{
    [Fact]
    public void OptimisationKeys_StayAtTheTopLevel()
    {
        var config = ConfigLoader.Resolve<OracleTrainConfig>(null, sets: ["steps=7", "learning_rate=0.01", "grad_clip=2", "batch_size=3"]).Value;

        Assert.Equal((7, 0.01, 2.0, 3), (config.Steps, config.LearningRate, config.GradClip, config.BatchSize));
        Assert.False(ConfigLoader.Defaults<OracleTrainConfig>().ContainsKey("optimization"));
    }

    [Fact]
    public void A_ConfigStoredBeforeTheSharedSection_ReadsWithTheScheduleItWasTrainedWith()
    {
        // An oracle checkpoint's record written before beta1/beta2/final_learning_rate_fraction/grad_clip were keys:
        // its trainer decayed to 1% with AdamW's own betas and no clipping.
        const string stored = """{"Steps":1500,"BatchSize":16,"LearningRate":0.002,"WarmupSteps":50,"WeightDecay":0.0001,"Seed":3}""";

        var config = JsonSerializer.Deserialize<OracleTrainConfig>(stored)!;

        Assert.Equal((1500, 0.002, 50, 3), (config.Steps, config.LearningRate, config.WarmupSteps, config.Seed));
        Assert.Equal((0.01, 0.9, 0.999, 0.0), (config.FinalLearningRateFraction, config.Beta1, config.Beta2, config.GradClip));
    }

    [Fact]
    public void Validate_NamesTheKey_WhenTheLearningRateIsNotPositive()
    {
        var error = Assert.Throws<ArgumentException>(() => new OracleTrainConfig { LearningRate = 0 }.Validate());

        Assert.Contains("learning_rate", error.Message);
    }
}
