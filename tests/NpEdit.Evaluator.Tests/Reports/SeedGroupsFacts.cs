using NpEdit.Evaluator.Reports;
using NpEdit.Evaluator.Storage;

namespace NpEdit.Evaluator.Tests.Reports;

public sealed class SeedGroupsFacts
{
    [Theory]
    [InlineData("full seed=2", "full")]
    [InlineData("only_dmd data.fraction=0.5 seed=10", "only_dmd data.fraction=0.5")]
    [InlineData("seed=0", "")]
    [InlineData("full", "full")]
    [InlineData("seed=x full", "seed=x full")]
    [InlineData("reseed=1 full", "reseed=1 full")]
    public void VariantOf_DropsOnlyTheSeedToken(string label, string variant) =>
        Assert.Equal(variant, SeedGroups.VariantOf(label));

    [Fact]
    public void Table_AveragesTheSeedsOfEachVariant_WithTheirSpread()
    {
        var runs = new[] { Run("full seed=0"), Run("full seed=1"), Run("full seed=2"), Run("only_dmd seed=0") };
        var summaries = new List<SummaryRow>
        {
            Macro(runs[0], 0.10), Macro(runs[1], 0.20), Macro(runs[2], 0.30), Macro(runs[3], 0.50),
            new(runs[0].RunId, "intersection", "edit_success", "", 0.9, null, null, 5, 0, 0),   // another subset: not averaged
        };

        var table = SeedGroups.Table(runs, summaries);

        Assert.Equal(2, table.Rows.Count);
        Assert.Equal("full", table["variant"][0]);
        Assert.Equal(3, table["seeds"][0]);
        Assert.Equal(0.20, (double)table["edit_success mean"][0]!, 12);
        Assert.Equal(0.10, (double)table["edit_success sd"][0]!, 12);
        Assert.Equal("[0.10, 0.30]", table["edit_success range"][0]);
        Assert.Equal(1, table["seeds"][1]);
        Assert.Equal(0.50, (double)table["edit_success mean"][1]!, 12);
        Assert.Null(table["edit_success sd"][1]);                      // one seed has no spread
        Assert.True(SeedGroups.HasRepeats(runs));
        Assert.False(SeedGroups.HasRepeats(runs.Skip(2)));
    }

    [Fact]
    public void Bars_AreOneSeriesPerVariant_WithTheSeedsRangeAsTheInterval()
    {
        var runs = new[] { Run("full seed=0"), Run("full seed=1"), Run("only_dmd seed=0") };
        var summaries = new List<SummaryRow>
        {
            Group(runs[0], "style", 0.4), Group(runs[1], "style", 0.2), Group(runs[0], "remove", 0.1), Group(runs[1], "remove", 0.3),
            Group(runs[2], "style", 0.6), Macro(runs[0], 0.9),
        };

        var bars = SeedGroups.Bars(runs, summaries, "edit_success");

        Assert.Equal(["full (2 seeds)", "only_dmd seed=0"], bars.Select(b => b.Name));
        var style = bars[0].Values["style"];
        Assert.Equal(0.3, style.Value, 12);
        Assert.Equal(0.2, style.Low!.Value, 12);
        Assert.Equal(0.4, style.High!.Value, 12);
        Assert.Equal(["remove", "style"], bars[0].Values.Keys.Order());   // the macro row is not a group
        var single = bars[1].Values["style"];                              // a single run keeps its bootstrap interval
        Assert.Equal(0.6, single.Value, 12);
        Assert.Equal(0.5, single.Low!.Value, 12);
        Assert.Equal(0.7, single.High!.Value, 12);
    }

    private static EvalRunRow Run(string label) => new() { RunId = Guid.NewGuid(), Label = label, Metrics = ["edit_success"] };

    private static SummaryRow Macro(EvalRunRow run, double mean) => new(run.RunId, "full", "edit_success", "", mean, null, null, 10, 0, 0);

    private static SummaryRow Group(EvalRunRow run, string group, double mean) => new(run.RunId, "full", "edit_success", group, mean, mean - 0.1, mean + 0.1, 10, 0, 0);
}
