using NpEdit.DatasetBuilder.Pipeline;

namespace NpEdit.DatasetBuilder.Tests.Pipeline;

public sealed class NearDuplicatesFacts
{
    [Theory]
    [InlineData(0.8)]
    [InlineData(1.0)]
    public void Rate_EqualsTheExhaustivePairwiseRate(double threshold)
    {
        var keys = Instructions();
        var sets = keys.Select(k => k.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)).ToArray();
        // Every pair checked: the share of rows with at least one other row at Jaccard ≥ threshold.
        var withTwin = Enumerable.Range(0, sets.Length)
            .Count(i => Enumerable.Range(0, sets.Length).Any(j => j != i && Jaccard(sets[i], sets[j]) >= threshold));

        Assert.Equal((double)withTwin / keys.Count, NearDuplicates.Rate(keys, threshold), 12);
        Assert.InRange(withTwin, 1, keys.Count - 1);
    }

    [Fact]
    public void Rate_CountsEveryCopyOfARepeatedInstruction_AndNothingForAllDistinctOnes()
    {
        Assert.Equal(0.75, NearDuplicates.Rate(["make the red circle blue", "make the red circle blue", "blue circle red the make", "remove the star"], 0.8));
        Assert.Equal(0, NearDuplicates.Rate(["remove the star", "add a green square", "make the circle larger"], 0.8));
        Assert.Equal(0, NearDuplicates.Rate(["remove the star"], 0.8));
    }

    private static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        var common = a.Count(b.Contains);
        return (double)common / (a.Count + b.Count - common);
    }

    // ShapesWorld-like instructions: few words, many exact repeats, many pairs one word apart.
    private static List<string> Instructions()
    {
        string[] verbs = ["make", "turn", "change", "remove", "move"], colors = ["red", "blue", "green", "yellow"], shapes = ["circle", "square", "star", "triangle"];
        var random = new Random(5);
        return Enumerable.Range(0, 600).Select(_ =>
        {
            var words = new List<string> { verbs[random.Next(verbs.Length)], "the", colors[random.Next(colors.Length)], shapes[random.Next(shapes.Length)] };
            if (random.Next(3) == 0)
                words.AddRange(["to", colors[random.Next(colors.Length)]]);
            if (random.Next(4) == 0)
                words.AddRange(["near", "the", "top", $"edge{random.Next(40)}"]);
            return string.Join(' ', words);
        }).ToList();
    }
}
