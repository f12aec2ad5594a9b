using System.Text.Json.Nodes;
using NpEdit.Evaluator.Oracle;
using NpEdit.Testing;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Tests.Oracle;

/// <summary>
/// The detail branch (<see cref="OracleDetailConfig"/>) grows onto an oracle trained without it: format-1 files still load
/// as they were, start a network with the branch that answers exactly as they did, and anything else is refused by name.
/// </summary>
[Collection(OracleCollection.Name)]
public class OracleDetailBranchFacts
{
    static readonly OracleConfig Small = new() { Channels = [8, 8, 16, 16], Hidden = 16, Detail = new OracleDetailConfig { Channels = [8, 8, 8], Hidden = 8 } };

    public OracleDetailBranchFacts() => OracleTestEnvironment.InitializeTorch();

    [Fact]
    public void A_format_1_oracle_loads_as_itself_and_starts_a_detail_network_that_answers_the_same()
    {
        using var dir = new TempDirectory();
        var path = SaveFormat1(dir.Path);
        var input = OracleInput.ToTensor([RgbImage.Render(OracleScenes.HeldOut(5).Scene, 64), RgbImage.Render(OracleScenes.HeldOut(6).Scene, 64)], 64);
        using var scope = NewDisposeScope();

        using var first = OracleCheckpoint.Load(path);
        Assert.False(first.Network.HasDetail);
        var before = first.Network.call(input);

        using var grown = new OracleTrainer(new OracleTrainConfig { Steps = 1, BatchSize = 2, Model = Small });
        var fresh = grown.InitializeFrom(path);
        grown.Network.eval();
        var after = grown.Network.call(input);

        Assert.NotEmpty(fresh);
        Assert.All(fresh, name => Assert.True(SceneParserNet.IsDetail(name), $"{name} is not part of the detail branch but started fresh"));
        foreach (var (a, b) in new[] { (before.Shape, after.Shape), (before.Size, after.Size), (before.Pattern, after.Pattern), (before.Rotation, after.Rotation), (before.Color, after.Color) })
            Assert.True(a.allclose(b, rtol: 0, atol: 1e-5), "the grown network should answer as the saved one until it trains");
    }

    [Fact]
    public void Training_only_the_detail_branch_leaves_the_rest_of_the_network_and_its_statistics_alone()
    {
        using var dir = new TempDirectory();
        var path = SaveFormat1(dir.Path);
        using var trainer = new OracleTrainer(new OracleTrainConfig { Steps = 3, BatchSize = 4, Model = Small, DetailOnly = true, LearningRate = 1e-2, WarmupSteps = 1 });
        trainer.InitializeFrom(path);
        var start = trainer.Network.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());

        trainer.Run((_, _) => { });

        foreach (var (name, tensor) in trainer.Network.state_dict())
        {
            if (SceneParserNet.IsDetail(name)) continue;
            Assert.True(tensor.to_type(ScalarType.Float64).allclose(start[name].to_type(ScalarType.Float64), rtol: 0, atol: 0), $"{name} changed although only the detail branch trains");
        }
        foreach (var name in new[] { "patternDetail.weight", "patternDetailAlone.weight", "detail.conv_a.weight" })
            Assert.False(trainer.Network.state_dict()[name].allclose(start[name], rtol: 0, atol: 0), $"{name} did not train");
    }

    [Fact]
    public void Weights_that_do_not_match_their_config_are_refused_by_name()
    {
        using var dir = new TempDirectory();
        var path = SaveFormat1(dir.Path);
        // Claim the current format (with a detail branch) for weights that have none.
        var config = JsonNode.Parse(File.ReadAllText(OracleCheckpoint.ConfigPath(path)))!;
        config["Format"] = OracleCheckpointFile.CurrentFormat;
        config["Model"]!["Detail"] = new JsonObject { ["Channels"] = new JsonArray(8, 8, 8), ["Hidden"] = 8 };
        File.WriteAllText(OracleCheckpoint.ConfigPath(path), config.ToJsonString());

        var load = Assert.Throws<InvalidDataException>(() => OracleCheckpoint.Load(path));
        Assert.Contains("does not match its config", load.Message);
        Assert.Contains("patternDetail.weight", load.Message);
        using var trainer = new OracleTrainer(new OracleTrainConfig { Steps = 1, BatchSize = 2, Model = Small });
        Assert.Contains("does not match its config", Assert.Throws<InvalidDataException>(() => trainer.InitializeFrom(path)).Message);

        // Right keys, wrong widths: named, not a libtorch copy error.
        config["Model"]!["Detail"] = null;
        config["Model"]!["Hidden"] = 24;
        File.WriteAllText(OracleCheckpoint.ConfigPath(path), config.ToJsonString());
        var misshapen = Assert.Throws<InvalidDataException>(() => OracleCheckpoint.Load(path));
        Assert.Contains("misshapen [", misshapen.Message);
        Assert.Contains("cellFeature.weight [16, ", misshapen.Message);

        config["Format"] = "npedit-shapesworld-oracle/9";
        File.WriteAllText(OracleCheckpoint.ConfigPath(path), config.ToJsonString());
        Assert.Contains("retrain with 'npedit oracle train'", Assert.Throws<InvalidDataException>(() => OracleCheckpoint.Load(path)).Message);
    }

    [Fact]
    public void The_detail_branch_is_also_scored_alone_so_a_grown_branch_learns_from_every_object()
    {
        using var scope = NewDisposeScope();
        var scenes = Enumerable.Range(0, 3).Select(i => OracleScenes.HeldOut(i).Scene).ToArray();
        var input = OracleInput.ToTensor(scenes.Select(s => RgbImage.Render(s, 64)).ToArray(), 64);
        using var net = new SceneParserNet(Small);
        var output = net.call(input);

        var terms = OracleLoss.Terms(output, SceneTargets.Build(scenes, CPU));

        Assert.NotNull(output.Detail);
        foreach (var head in new[] { "shape", "size", "pattern", "rotation" })
            Assert.Contains($"{head}/detail", terms.Keys);
        Assert.True(terms["pattern/detail"].item<float>() > 0.5, "an untrained branch cannot read patterns");
        using var plain = new SceneParserNet(Small with { Detail = null });
        Assert.DoesNotContain(OracleLoss.Terms(plain.call(input), SceneTargets.Build(scenes, CPU)).Keys, k => k.EndsWith("/detail", StringComparison.Ordinal));
    }

    /// <summary>A briefly trained network without the branch, saved as a format-1 checkpoint (no Detail key).</summary>
    private static string SaveFormat1(string directory)
    {
        var path = Path.Combine(directory, "v1.safetensors");
        using (var trainer = new OracleTrainer(new OracleTrainConfig { Steps = 2, BatchSize = 4, Model = Small with { Detail = null } }))
        {
            trainer.Run((_, _) => { });
            trainer.Save(path, new OracleTrainingRecord(trainer.Config, trainer.Step, trainer.TrainSeconds, 1, "test", null));
        }
        var config = JsonNode.Parse(File.ReadAllText(OracleCheckpoint.ConfigPath(path)))!;
        config["Format"] = OracleCheckpointFile.FirstFormat;
        config["Model"]!.AsObject().Remove("Detail");
        File.WriteAllText(OracleCheckpoint.ConfigPath(path), config.ToJsonString());
        return path;
    }
}
