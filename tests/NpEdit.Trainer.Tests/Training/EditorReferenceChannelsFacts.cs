using NpEdit.Core.Config.Training;
using NpEdit.Testing;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Training;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Training;

/// <summary>generator.reference_channels: only G_θ gains the channel path, it starts as G_init, trains, and its checkpoint rebuilds it.</summary>
public sealed class EditorReferenceChannelsFacts : IDisposable
{
    private static readonly List<EditExample> Examples = TrainingFixtures.Examples(8);
    private readonly TempDirectory temp = new("editor-channels");

    public void Dispose() => temp.Dispose();

    private static NpEditConfig Config(Objective objective = Objective.OnlyDmd) =>
        TrainingFixtures.Config(objective) with { Generator = new GeneratorSection { Init = "in-memory", ReferenceChannels = true } };

    [Fact]
    public void OnlyTheEditorGainsTheChannels_StartingAsGInit_AndTheyTrain()
    {
        var init = TrainingFixtures.Init(Examples.Select(e => e.Sample));
        var initState = init.DiT.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        NpEditTrainer trainer;
        using (init.DiT)
        using (init.Text)
            trainer = new NpEditTrainer(Config(), init, critic: null);
        using var _ = trainer;

        Assert.True(trainer.Generator.Config.ReferenceChannels);
        Assert.False(trainer.Auxiliary.Config.ReferenceChannels);
        Assert.False(trainer.Teacher.Config.ReferenceChannels);
        var channels = trainer.Generator.named_parameters().Where(p => p.name.StartsWith("ref_channels.", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, channels.Count);
        Assert.All(channels, p => Assert.Equal(0f, p.parameter.abs().max().item<float>()));
        Assert.All(trainer.Generator.state_dict().Where(kv => !kv.Key.StartsWith("ref_channels.", StringComparison.Ordinal)),
            kv => Assert.True(kv.Value.Equals(initState[kv.Key]), kv.Key));

        trainer.Step(TrainingFixtures.Batch(trainer, Examples.Take(4).ToList()));                 // the identity warm-up step

        Assert.All(channels, p => Assert.True(p.parameter.abs().max().item<float>() > 0, p.name));
    }

    [Fact]
    public void Checkpoint_RebuildsTheEditorWithItsChannels_AndAuxiliaryWithout()
    {
        using var scope = NewDisposeScope();
        var directory = Path.Combine(temp.Path, "run");
        var init = TrainingFixtures.Init(Examples.Select(e => e.Sample));
        var (x, t, reference) = (randn(2, 3, 16, 16), tensor(new[] { 0.3f, 0.9f }), randn(2, 3, 16, 16));
        Tensor expected;
        using (init.DiT)
        using (init.Text)
        using (var trainer = new NpEditTrainer(Config(), init, critic: null))
        {
            trainer.Step(TrainingFixtures.Batch(trainer, Examples.Take(4).ToList()));
            trainer.Save(directory);
            expected = Velocity(trainer.Generator, trainer.TextEncoder, x, t, reference);
        }

        Assert.True(GeneratorCheckpoint.ReadConfig(Path.Combine(directory, TrainingCheckpoint.GeneratorFile)).DiT.ReferenceChannels);
        Assert.False(GeneratorCheckpoint.ReadConfig(Path.Combine(directory, TrainingCheckpoint.AuxiliaryFile)).DiT.ReferenceChannels);
        var (dit, text, _) = GeneratorCheckpoint.Load(Path.Combine(directory, TrainingCheckpoint.GeneratorFile));
        using (dit)
        using (text)
            Assert.True(Velocity(dit, text, x, t, reference).Equals(expected));
    }

    private static Tensor Velocity(DiT dit, Trainer.Models.Text.ShapesTextEncoder text, Tensor x, Tensor t, Tensor reference)
    {
        using var _ = no_grad();
        dit.eval();
        var c = text.Encode(["a red circle", "a red circle"], CPU);
        return dit.call(x, t, c.Tokens, c.Mask, reference);
    }

    [Fact]
    public void AnSftEditorOfTheOtherKind_IsRefusedNamingTheKey()
    {
        var init = TrainingFixtures.Init(Examples.Select(e => e.Sample));
        using var plainEditor = new DiT(init.DiT.Config);
        using (init.DiT)
        using (init.Text)
        {
            var error = Assert.Throws<ArgumentException>(() => new NpEditTrainer(Config(), init, critic: null, initEditor: plainEditor));
            Assert.Contains("generator.reference_channels", error.Message);
            Assert.Contains("false", error.Message);
        }
    }
}
