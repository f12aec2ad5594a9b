using NpEdit.Core.Shards;
using NpEdit.Trainer.Training;

namespace NpEdit.Trainer.Tests.Training;

/// <summary>App. E.1's edit-type draw, the data-fraction subset and the resumable cursor.</summary>
public sealed class EditBatchSamplerFacts
{
    private static readonly List<EditExample> Examples = TrainingFixtures.Examples(44);   // 4 rows of each of the 11 types

    [Fact]
    public void Removal_IsDrawnAQuarterOfTheTime_AndTheOtherTypesUniformly()
    {
        var sampler = new EditBatchSampler(Examples, fraction: 1, removalProbability: 0.25, seed: 4);

        var types = sampler.Next(40_000).GroupBy(e => e.Sample.EditType).ToDictionary(g => g.Key, g => g.Count() / 40_000.0);

        Assert.InRange(types[EditType.Remove], 0.24, 0.26);
        Assert.Equal(10, types.Count - 1);
        Assert.All(types.Where(t => t.Key != EditType.Remove), t => Assert.InRange(t.Value, 0.075 - 0.006, 0.075 + 0.006));
    }

    [Fact]
    public void EachTypeIsShuffledWithoutReplacement_WithinAnEpoch()
    {
        var sampler = new EditBatchSampler(Examples, 1, 0.25, seed: 4);

        var removals = sampler.Next(400).Where(e => e.Sample.EditType == EditType.Remove).Take(4).Select(e => e.Row).ToList();

        Assert.Equal(4, removals.Distinct().Count());
    }

    [Fact]
    public void Fraction_KeepsAFixedSeededSubset()
    {
        var half = new EditBatchSampler(Examples, fraction: 0.5, removalProbability: 0.25, seed: 4);
        var again = new EditBatchSampler(Examples, fraction: 0.5, removalProbability: 0.25, seed: 4);

        var drawn = half.Next(2_000).Select(e => e.Row).ToHashSet();

        Assert.Equal(22, half.Subset.Count);
        Assert.Equal(half.Subset.Select(e => e.Row), again.Subset.Select(e => e.Row));
        Assert.Subset(half.Subset.Select(e => e.Row).ToHashSet(), drawn);
        Assert.Equal(22, drawn.Count);
    }

    [Fact]
    public void RestoringTheCursor_RestoresTheStream_AndCountsRowsPerShard()
    {
        var straight = new EditBatchSampler(Examples, 1, 0.25, seed: 9);
        var first = straight.Next(30);
        var saved = straight.Cursor.Clone();
        var rest = straight.Next(30);

        var resumed = new EditBatchSampler(Examples, 1, 0.25, seed: 9) { Cursor = saved.Clone() };

        Assert.Equal(rest.Select(e => e.Row), resumed.Next(30).Select(e => e.Row));
        Assert.Equal(60, straight.Cursor.RowsPerShard["memory"]);
        Assert.NotEqual(first.Select(e => e.Row), rest.Select(e => e.Row));
    }
}
