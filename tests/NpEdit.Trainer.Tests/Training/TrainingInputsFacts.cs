using NpEdit.Core.Config.Training;
using NpEdit.Core.Shards;
using NpEdit.Testing;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Training;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Training;

/// <summary>
/// What <c>npedit train</c> and the pipeline's train stage load from a config: a saved G_init and a real shard; the
/// critic checkpoint path never exists here, so an objective that reads it fails and one that does not, trains.
/// </summary>
public sealed class TrainingInputsFacts : IDisposable
{
    private readonly TempDirectory temp = new("npedit-training-inputs");

    public void Dispose() => temp.Dispose();

    [Theory]
    [InlineData(Objective.OnlyDmd)]
    [InlineData(Objective.Sft)]
    public async Task An_ObjectiveWithoutLVlm_LoadsNoCritic_AndItsTrainerSteps(Objective objective)
    {
        var config = await WriteConfigAsync(objective);

        using var inputs = await TrainingInputs.LoadAsync(config, CPU);
        using var trainer = inputs.CreateTrainer();
        var run = inputs.CreateRun(trainer, Path.Combine(temp.Path, "run"), tracker: null);
        await run.RunAsync((_, _) => { });

        Assert.Null(inputs.Critic);
        Assert.Equal(objective == Objective.Sft, inputs.Pairs is not null);
        Assert.Equal(objective == Objective.Sft, inputs.Sampler is null);
        Assert.Equal(1, trainer.StepsDone);
    }

    [Fact]
    public async Task A_FullObjective_NamesTheCriticKey_WhenItsCheckpointIsMissing()
    {
        var config = await WriteConfigAsync(Objective.Full);

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => TrainingInputs.LoadAsync(config, CPU));

        Assert.Contains("critic.checkpoint", error.Message);
        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public async Task An_EmptyInit_NamesTheKeyAndWhereToSetIt()
    {
        var config = await WriteConfigAsync(Objective.OnlyDmd);

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() =>
            TrainingInputs.LoadAsync(config with { Generator = new GeneratorSection { Init = "" } }, CPU));

        Assert.Contains("generator.init is empty", error.Message);
        Assert.Contains("--set generator.init=PATH", error.Message);
    }

    [Theory]
    [InlineData("variant:sft")]
    [InlineData("run:0123456789ab")]
    public async Task An_InitEditor_NamingAGridRun_SaysOnlyAGridResolvesIt(string reference)
    {
        var config = await WriteConfigAsync(Objective.OnlyDmd);

        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            TrainingInputs.LoadAsync(config with { Generator = config.Generator with { InitEditor = reference } }, CPU));

        Assert.Contains($"generator.init_editor '{reference}' names another grid run's editor", error.Message);
        Assert.Contains("outside a grid give the checkpoint's path", error.Message);
    }

    /// <summary>A saved shapes-xs G_init, one shard of ShapesWorld edits, and a one-step config whose critic file is absent.</summary>
    private async Task<NpEditConfig> WriteConfigAsync(Objective objective)
    {
        var rows = TrainingFixtures.Rows(4);
        var shards = Path.Combine(temp.Path, "shards");
        await ShardWriter.WriteAsync(Path.Combine(shards, "part-0.parquet"), rows);
        var init = TrainingFixtures.Init(rows);
        var initPath = Path.Combine(temp.Path, "g_init.safetensors");
        GeneratorCheckpoint.Save(initPath, init.DiT, init.Text, init.Config);
        init.DiT.Dispose();
        init.Text.Dispose();

        var config = TrainingFixtures.Config(objective);
        return config with
        {
            Generator = new GeneratorSection { Init = initPath },
            Critic = new CriticSection { Checkpoint = Path.Combine(temp.Path, "absent-critic.safetensors") },
            Data = config.Data with { Shards = [shards], BatchSize = 2 },
            Schedule = config.Schedule with { Steps = 1, WarmupSteps = 0, SingleStepSteps = 0 },
        };
    }
}
