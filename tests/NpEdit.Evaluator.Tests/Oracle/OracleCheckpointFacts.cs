using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Scenes;
using NpEdit.Testing;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Tests.Oracle;

[Collection(OracleCollection.Name)]
public class OracleCheckpointFacts
{
    public OracleCheckpointFacts() => OracleTestEnvironment.InitializeTorch();

    [Fact]
    public void Saved_weights_load_back_to_the_same_outputs()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "o.safetensors");
        var scene = OracleScenes.HeldOut(3).Scene;
        using var scope = NewDisposeScope();
        using var trainer = new OracleTrainer(new OracleTrainConfig { Steps = 2, BatchSize = 4 });
        trainer.Run((_, _) => { });
        trainer.Save(path, new OracleTrainingRecord(trainer.Config, trainer.Step, trainer.TrainSeconds, 1, "test", null));
        Assert.True(new FileInfo(path).Length < 2_000_000, "the oracle should stay small enough to commit");
        Assert.Equal(2, OracleCheckpoint.ReadConfig(path).Training.Steps);
        var input = OracleInput.ToTensor([RgbImage.Render(scene, 64)], 64);
        trainer.Network.eval();
        var before = trainer.Network.call(input).Shape;

        using var loaded = OracleCheckpoint.Load(path);
        var after = loaded.Network.call(input).Shape;

        Assert.True(before.allclose(after, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void A_second_phase_starts_from_the_saved_weights()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "phase1.safetensors");
        using var scope = NewDisposeScope();
        using var first = new OracleTrainer(new OracleTrainConfig { Steps = 2, BatchSize = 4 });
        first.Run((_, _) => { });
        first.Save(path, new OracleTrainingRecord(first.Config, first.Step, first.TrainSeconds, 1, "test", null));
        var input = OracleInput.ToTensor([RgbImage.Render(OracleScenes.HeldOut(4).Scene, 64)], 64);
        first.Network.eval();

        using var second = new OracleTrainer(new OracleTrainConfig { Steps = 2, BatchSize = 4, Seed = 1 });
        second.InitializeFrom(path);
        second.Network.eval();

        Assert.True(first.Network.call(input).Shape.allclose(second.Network.call(input).Shape, rtol: 0, atol: 1e-6));
        var other = new OracleTrainConfig { Model = new OracleConfig { Hidden = 64 } };
        using var mismatched = new OracleTrainer(other with { Steps = 1, BatchSize = 1 });
        Assert.Contains("different network", Assert.Throws<ArgumentException>(() => mismatched.InitializeFrom(path)).Message);
    }

    [Fact]
    public void A_missing_checkpoint_says_how_to_make_one()
    {
        var e = Assert.Throws<FileNotFoundException>(() => OracleCheckpoint.Load("/nonexistent/oracle.safetensors"));
        Assert.Contains("npedit oracle train", e.Message);
    }

    [Fact]
    public void Oracle_scenes_never_come_from_a_corpus_or_the_benchmark()
    {
        var bench = NpEdit.ShapesWorld.Bench.ShapesBench.BuildItems(NpEdit.ShapesWorld.Bench.BenchOptions.V1).Select(i => i.SceneSeed).ToHashSet();
        for (long i = 0; i < 2000; i++)
        {
            var (seed, scene) = OracleScenes.Training(i);
            Assert.True(NpEdit.ShapesWorld.SeedRanges.IsBench(seed), "top bit clear: a corpus could draw this seed");
            Assert.DoesNotContain(seed, bench);
            Assert.Equal(SceneSampler.Sample(seed), scene);
            Assert.NotEqual(seed, OracleScenes.HeldOut(i).Seed);
        }
    }
}
