using NpEdit.Core.Config;
using NpEdit.Core.Config.Dataset;
using NpEdit.Testing;

namespace NpEdit.DatasetBuilder.Tests;

public class DatasetConfigFacts
{
    [Fact]
    public void Load_AppliesYamlOverridesOnTheDefaults()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "dataset.yaml");
        File.WriteAllText(path, "name: photos\ninput:\n  kind: parquet\n  path: /data/photos\n  caption_column: text\nvlm:\n  temperature: 0.2\n");
        var config = ConfigLoader.Load<DatasetConfig>(path, ["vlm.max_in_flight_per_endpoint=16"]).Value;
        Assert.Equal("photos", config.Name);
        Assert.Equal(InputKind.Parquet, config.Input.Kind);
        Assert.Equal("text", config.Input.CaptionColumn);
        Assert.Equal("image", config.Input.ImageColumn);
        Assert.Equal(0.2f, config.Vlm.Temperature);
        Assert.Equal(16, config.Vlm.MaxInFlightPerEndpoint);
        Assert.Equal(1024, config.Vlm.MaxTokens);
        Assert.True(config.Tasks.Local && config.Tasks.Customization);
    }

    [Fact]
    public void Load_RejectsUnknownKeys_NamingTheNearestKnownOne()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Resolve<DatasetConfig>(null, sets: ["input.path=x", "vlm.max_inflight=8"]));
        Assert.Contains("unknown config key 'vlm.max_inflight'", e.Message);
    }

    [Fact]
    public void Validate_ExplainsEveryProblem()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Resolve<DatasetConfig>(null, sets:
            ["name=bad name", "tasks.local=false", "tasks.customization=false", "input.images_per_unit=0", "vlm.temperature=3"]));
        Assert.Contains("input.path is empty", e.Message);
        Assert.Contains("name 'bad name'", e.Message);
        Assert.Contains("enable at least one pipeline", e.Message);
        Assert.Contains("input.images_per_unit", e.Message);
        Assert.Contains("vlm.temperature", e.Message);
    }

    [Fact]
    public void IdentityHash_IgnoresHowRequestsTravel_ButNotWhatShapesTheReplies()
    {
        string Hash(params string[] sets) => DatasetBuild.IdentityHash(ConfigLoader.Resolve<DatasetConfig>(null, sets: ["input.path=x", .. sets]).Json);
        Assert.Equal(Hash(), Hash("vlm.endpoints=m@http://a:1/v1", "vlm.max_in_flight_per_endpoint=3", "vlm.timeout_minutes=1"));
        Assert.NotEqual(Hash(), Hash("vlm.seed=9"));
        Assert.NotEqual(Hash(), Hash("images.max_side=512"));
    }
}
