using System.Text.Json.Nodes;
using NpEdit.Core.Config;
using NpEdit.Trainer.Pretraining;

namespace NpEdit.Trainer.Tests.Pretraining;

/// <summary>The job config (YAML, run rows) and the trainer config share one optimisation section and its top-level keys.</summary>
public sealed class T2IPretrainJobConfigFacts
{
    [Fact]
    public void Defaults_AreTheTrainerDefaults()
    {
        Assert.Equal(new T2IPretrainConfig(), new T2IPretrainJobConfig().ToTrainerConfig());
    }

    [Fact]
    public void TopLevelOptimisationKeys_ReachTheTrainer_AndTheRestKeepsItsDefaults()
    {
        var stored = JsonNode.Parse("""
            { "steps": 40, "learning_rate": 0.001, "warmup_steps": 4, "final_learning_rate_fraction": 0.1,
              "beta1": 0.8, "beta2": 0.95, "weight_decay": 0.01, "grad_clip": 0.5 }
            """)!.AsObject();

        var trainer = ConfigLoader.Resolve<T2IPretrainJobConfig>(stored).Value.ToTrainerConfig();

        Assert.Equal(new T2IPretrainConfig
        {
            Steps = 40, LearningRate = 1e-3, WarmupSteps = 4, FinalLearningRateFraction = 0.1,
            Beta1 = 0.8, Beta2 = 0.95, WeightDecay = 0.01, GradClip = 0.5,
        }, trainer);
    }

    [Fact]
    public void An_InvalidOptimisationValue_IsNamedByItsKey()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Resolve<T2IPretrainJobConfig>(null, sets: ["beta2=1", "learning_rate=0"]));

        Assert.Contains("learning_rate must be positive", error.Message);
        Assert.Contains("beta2 (1)", error.Message);
    }
}
