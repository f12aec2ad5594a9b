using System.Text.Json.Nodes;
using NpEdit.Core.Config;
using NpEdit.Testing;

namespace NpEdit.Core.Tests.Config;

public sealed class ConfigLoaderFacts
{
    private static ResolvedConfig<SampleConfig> FromYaml(string yaml, params string[] sets)
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "e001.yaml");
        File.WriteAllText(path, yaml);
        return ConfigLoader.Load<SampleConfig>(path, sets);
    }

    [Fact]
    public void Load_KeepsDefaults_AndAppliesOnlyTheOverrides()
    {
        var config = FromYaml("optim:\n  lr: 1e-4\nobjective: only_dmd\n").Value;

        Assert.Equal(1e-4, config.Optim.Lr);
        Assert.Equal([0.0, 0.9], config.Optim.Betas);
        Assert.Equal(4, config.Steps);
        Assert.Equal(SampleObjective.OnlyDmd, config.Objective);
    }

    [Fact]
    public void Load_AppliesSetOverridesLast_WithDottedKeys()
    {
        var config = FromYaml("optim.lr: 1e-4\n", "optim.lr=3e-4", "note=hello").Value;

        Assert.Equal(3e-4, config.Optim.Lr);
        Assert.Equal("hello", config.Note);
    }

    [Fact]
    public void Load_ReadsAListGivenToSet_AsYamlDoes_AndSaysHowToWriteABrokenOne()
    {
        var config = FromYaml("", "optim.betas=[0.5, 0.95]").Value;

        Assert.Equal([0.5, 0.95], config.Optim.Betas);
        Assert.Contains("note", Assert.Throws<ConfigException>(() => FromYaml("", "note=[a, b]")).Message);
        var broken = Assert.Throws<ConfigException>(() => FromYaml("", "optim.betas=[0.5, 0.95"));
        Assert.Contains("--set 'optim.betas=[0.5, 0.95'", broken.Message);
        Assert.Contains("write a list as [a, b]", broken.Message);
    }

    [Fact]
    public void Load_RejectsAnUnknownKey_NamingItAndTheClosestKnownKey()
    {
        var error = Assert.Throws<ConfigException>(() => FromYaml("optim:\n  lrr: 1e-4\n"));

        Assert.Contains("unknown config key 'optim.lrr'", error.Message);
        Assert.Contains("Did you mean 'optim.lr'?", error.Message);
        Assert.Contains("e001.yaml", error.Message);
    }

    [Fact]
    public void Load_RejectsAWrongType_NamingTheKeyAndTheDefault()
    {
        var error = Assert.Throws<ConfigException>(() => FromYaml("steps: fast\n"));

        Assert.Contains("'steps' = \"fast\"", error.Message);
        Assert.Contains("default is 4", error.Message);
        Assert.DoesNotContain("Use one of", error.Message);
    }

    [Fact]
    public void Load_RejectsAValueWhereASectionIsExpected()
    {
        var error = Assert.Throws<ConfigException>(() => FromYaml("optim: 0.1\n"));

        Assert.Contains("'optim' is a section", error.Message);
    }

    [Fact]
    public void Load_RunsValidation_AndListsEveryProblem()
    {
        var error = Assert.Throws<ConfigException>(() => FromYaml("steps: 3\n"));

        Assert.Contains("steps must be 1, 2, 4 or 8 (got 3)", error.Message);
    }

    [Fact]
    public void Load_RejectsAnUnknownEnumValue()
    {
        var error = Assert.Throws<ConfigException>(() => FromYaml("objective: best\n"));

        Assert.Contains("'objective' = \"best\"", error.Message);
        Assert.Contains("Use one of: full, only_dmd, only_vlm.", error.Message);
        // A value given to --set is named too, though the message starts with the file.
        Assert.Contains("\"better\"", Assert.Throws<ConfigException>(() => FromYaml("steps: 4\n", "objective=better")).Message);
    }

    [Fact]
    public void Load_SaysWhatToDo_WhenTheFileIsMissing()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load<SampleConfig>("/nonexistent/e404.yaml"));

        Assert.Contains("does not exist", error.Message);
    }

    [Fact]
    public void Hash_IsStable_AcrossSpellingsOfTheSameConfig()
    {
        var a = FromYaml("optim:\n  lr: 0.0001\n");
        var b = FromYaml("optim.lr: 1.0e-4\nsteps: 4\n");
        var c = FromYaml("optim.lr: 2.0e-4\n");

        Assert.Equal(a.Hash, b.Hash);
        Assert.NotEqual(a.Hash, c.Hash);
        Assert.Equal("only_vlm", ConfigLoader.Resolve<SampleConfig>(new JsonObject { ["objective"] = "only_vlm" }).Json["objective"]!.GetValue<string>());
    }
}
