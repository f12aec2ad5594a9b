using NpEdit.Core.Config;
using NpEdit.Core.Config.Training;
using NpEdit.Jobs.Grids;
using NpEdit.Jobs.Tests.Support;

namespace NpEdit.Jobs.Tests.Grids;

public sealed class GridExpanderFacts
{
    private const string Sweep = """
        name: sweep
        method: grid
        seeds: [0, 1]
        overrides:
          generator.init: g.safetensors
          critic: {checkpoint: c.safetensors}
          data.shards: [shards]
        variants:
          full: {}
          only_dmd: {loss.objective: only_dmd}
        parameters:
          optim.lr: {values: [1.0e-4, 3.0e-4, 1.0e-3]}
        """;

    [Fact]
    public void Expand_IsTheCartesianProductOfVariantsValuesAndSeeds_InFileOrder()
    {
        var points = GridExpander.Expand(GridSpec.Parse(Sweep, "sweep.yaml"));

        Assert.Equal(2 * 3 * 2, points.Count);
        Assert.Equal("full optim.lr=0.0001 seed=0", points[0].Label);
        Assert.Equal("full optim.lr=0.0001 seed=1", points[1].Label);
        Assert.Equal("only_dmd optim.lr=0.001 seed=1", points[^1].Label);
        Assert.Equal(Objective.OnlyDmd, points[^1].Config.Value.Loss.Objective);
        Assert.Equal(1e-3, points[^1].Config.Value.Optim.Lr);
        Assert.Equal(1, points[^1].Config.Value.Run.Seed);
        Assert.Equal("sweep", points[0].Config.Value.Experiment);
        Assert.Equal(12, points.Select(p => p.Hash).Distinct().Count());
    }

    [Fact]
    public void WithSeeds_KeepsTheChosenSeedsPoints_WithTheHashesTheFullGridGivesThem()
    {
        var full = GridSpec.Parse(Sweep, "sweep.yaml");
        var firstSeed = GridExpander.Expand(full.WithSeeds([1]));

        Assert.Equal(2 * 3, firstSeed.Count);
        Assert.All(firstSeed, p => Assert.EndsWith("seed=1", p.Label));
        var fullHashes = GridExpander.Expand(full).ToDictionary(p => p.Label, p => p.Hash);
        Assert.All(firstSeed, p => Assert.Equal(fullHashes[p.Label], p.Hash));
        Assert.Equal([1L], full.WithSeeds([1]).ToDocument()["seeds"]!.AsArray().Select(n => n!.GetValue<long>()));

        var unknown = Assert.Throws<ConfigException>(() => full.WithSeeds([1, 7]));
        Assert.Contains("7", unknown.Message);
        Assert.Contains("[0, 1]", unknown.Message);
        Assert.Throws<ConfigException>(() => full.WithSeeds([]));
    }

    [Fact]
    public void Hashes_AreStable_AcrossKeyOrderNumberSpellingAndDottedOrNestedKeys()
    {
        const string reordered = """
            parameters:
              optim.lr: {values: [0.0001, 0.0003, 0.001]}
            variants:
              full: {}
              only_dmd: {loss: {objective: only_dmd}}
            seeds: [0, 1]
            overrides:
              data: {shards: [shards]}
              critic.checkpoint: c.safetensors
              generator: {init: g.safetensors}
            method: grid
            name: sweep
            """;

        var a = GridExpander.Expand(GridSpec.Parse(Sweep, "a.yaml")).Select(p => (p.Label, p.Hash));
        var b = GridExpander.Expand(GridSpec.Parse(reordered, "b.yaml")).Select(p => (p.Label, p.Hash));

        Assert.Equal(a, b);
    }

    [Fact]
    public void Hash_IsTheResolvedConfigsHash_SoAGridPointAndTheSameConfigWrittenByHandAgree()
    {
        var point = GridExpander.Expand(GridSpec.Parse(Sweep, "sweep.yaml"))[3];
        var byHand = ConfigLoader.Resolve<NpEditConfig>(
            YamlNodes.ParseDocument("data: {shards: [shards]}", "by hand"), "by hand",
            ["experiment=sweep", "generator.init=g.safetensors", "critic.checkpoint=c.safetensors", "optim.lr=3e-4", "run.seed=1"]);

        Assert.Equal("full optim.lr=0.0003 seed=1", point.Label);
        Assert.Equal(byHand.Hash, point.Hash);
    }

    [Theory]
    [InlineData("parameters:\n  optim.learning_rate: {values: [1]}", "optim.learning_rate")]
    [InlineData("variants:\n  x: {loss.objectiv: only_dmd}", "loss.objectiv")]
    [InlineData("parameters:\n  optim.lr: {min: 1, max: 2}", "values")]
    [InlineData("method: bayes", "bayes")]
    [InlineData("seeds: [1, 1]", "seed twice")]
    [InlineData("colour: red", "unknown grid key 'colour'")]
    [InlineData("variants:\n  a: {}\n  b: {optim.lr: 2.0e-6}", "resolve to the same config")]
    public void BadGrids_FailWithAMessageNamingTheProblem(string extra, string expected)
    {
        var yaml = $"name: bad\noverrides: {{generator.init: g, critic.checkpoint: c, data.shards: [s]}}\n{extra}\n";

        var e = Assert.Throws<ConfigException>(() => GridExpander.Expand(GridSpec.Parse(yaml, "bad.yaml")));

        Assert.Contains(expected, e.Message);
        Assert.Contains("bad.yaml", e.Message);
    }

    [Fact]
    public void SftPlusOurs_StartsFromTheEditorOfTheSftRunWithTheSameSeed()
    {
        var points = GridExpander.Expand(GridSpec.Load(RepoFiles.Grid("grid-table4-sft.yaml")));

        var sft = points.Where(p => p.Point["variant"]!.GetValue<string>() == "sft").ToDictionary(p => p.Config.Value.Run.Seed);
        var ours = points.Where(p => p.Point["variant"]!.GetValue<string>() == "sft_plus_ours").ToList();
        Assert.Equal([0, 1, 2], ours.Select(p => p.Config.Value.Run.Seed));
        Assert.All(sft.Values, p => Assert.Null(p.After));
        foreach (var point in ours)
        {
            var source = sft[point.Config.Value.Run.Seed];
            Assert.Same(source, point.After);
            Assert.Equal(EditorReference.ToRun(source.Hash), point.Config.Value.Generator.InitEditor);
            Assert.Equal(Objective.Full, point.Config.Value.Loss.Objective);
        }
        // The reference is part of the config: the same grid expands to the same hashes.
        Assert.Equal(points.Select(p => p.Hash), GridExpander.Expand(GridSpec.Load(RepoFiles.Grid("grid-table4-sft.yaml"))).Select(p => p.Hash));
    }

    [Theory]
    [InlineData("variants:\n  a: {}\n  b: {generator.init_editor: 'variant:c'}", "names a variant this grid does not have; its variants: a, b")]
    [InlineData("variants:\n  a: {generator.init_editor: 'variant:a'}", "names the point's own variant")]
    [InlineData("variants:\n  a: {}\n  b: {generator.init_editor: 'variant:a'}\n  c: {generator.init_editor: 'variant:b'}", "chains of variants are not supported")]
    public void EditorReferences_ThatCannotBeFollowed_FailNamingTheProblem(string extra, string expected)
    {
        var yaml = $"name: bad\noverrides: {{generator.init: g, critic.checkpoint: c, data.shards: [s]}}\n{extra}\n";

        var e = Assert.Throws<ConfigException>(() => GridExpander.Expand(GridSpec.Parse(yaml, "bad.yaml")));

        Assert.Contains(expected, e.Message);
        Assert.Contains("bad.yaml", e.Message);
    }

    [Fact]
    public void ShippedGrids_ExpandWithValidKeys_AndEachHasItsHypothesisNote()
    {
        var sizes = new Dictionary<string, int>();
        foreach (var file in RepoFiles.ShippedGrids())
        {
            var spec = GridSpec.Load(file);
            sizes[spec.Name] = GridExpander.Expand(spec).Count;
            if (spec.Name != "demo")
                Assert.Contains("## Hypothesis", File.ReadAllText(Path.ChangeExtension(file, ".md")));
        }

        Assert.Equal(15, sizes["table3-objective"]);
        Assert.Equal(9, sizes["table4-data-scale"]);
        Assert.Equal(6, sizes["table4-critic-size"]);
        Assert.Equal(6, sizes["table4-sft"]);
    }

    [Fact]
    public void Table3Grid_SwitchesExactlyThePapersAblations()
    {
        var points = GridExpander.Expand(GridSpec.Load(RepoFiles.Grid("grid-table3-objective.yaml")))
            .Where(p => p.Config.Value.Run.Seed == 0).ToDictionary(p => p.Point["variant"]!.GetValue<string>(), p => p.Config.Value);

        Assert.Equal(["full", "only_dmd", "only_vlm", "no_identity", "ce"], points.Keys);
        Assert.Equal(Objective.Full, points["full"].Loss.Objective);
        Assert.Equal(Objective.OnlyDmd, points["only_dmd"].Loss.Objective);
        Assert.Equal(Objective.OnlyVlm, points["only_vlm"].Loss.Objective);
        Assert.False(points["no_identity"].Critic.IdentityQuestion);
        Assert.True(points["full"].Critic.IdentityQuestion);
        Assert.Equal(VlmLossKind.CeFullVocab, points["ce"].Loss.VlmLoss);
        Assert.Equal(VlmLossKind.BceYesNo, points["full"].Loss.VlmLoss);
    }
}
