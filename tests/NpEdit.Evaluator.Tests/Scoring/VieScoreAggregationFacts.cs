using NpEdit.Evaluator.Judging;
using NpEdit.Evaluator.Scoring;

namespace NpEdit.Evaluator.Tests.Scoring;

public class VieScoreAggregationFacts
{
    // Canned judge replies: (group, key, SC reply, PQ reply). "bad" cannot be parsed.
    private static readonly (string Group, string Key, string Sc, string Pq)[] Replies =
    [
        ("color", "c1", """{"score": [8, 6], "reasoning": "good"}""", """{"score": [9, 4], "reasoning": "ok"}"""),
        ("color", "c2", "```json\n{\"score\": [10, 10], \"reasoning\": \"perfect\"}\n```", """{"score": [9, 9], "reasoning": "clean"}"""),
        ("color", "c3", "I cannot tell.", """{"score": [9, 9], "reasoning": "clean"}"""),
        ("remove", "r1", """Sure! {"score": [2, 8], "reasoning": "barely"}""", """{"score": [8, 8], "reasoning": "fine"}"""),
        ("remove", "r2", """{"score": [11, 3]}""", """{"score": [5, 5]}"""),
        ("text", "t1", """'score': [4, 9]""", """{"score": ["9", "1"], "reasoning": "smudged"}"""),
    ];

    private static List<ItemScore> Judge()
    {
        var scores = new List<ItemScore>();
        foreach (var (group, key, scReply, pqReply) in Replies)
        {
            var sc = ScoreReplyParser.Parse(scReply, 2, 0, 10);
            var pq = ScoreReplyParser.Parse(pqReply, 2, 0, 10);
            if (sc is null || pq is null)
            {
                scores.Add(new ItemScore(key, group, 0, new Dictionary<string, double>(), "unparseable"));
                continue;
            }
            var (s, p, o) = VieScore.Combine(sc, pq);
            scores.Add(new ItemScore(key, group, 0, new Dictionary<string, double> { ["sc"] = s, ["pq"] = p, ["overall"] = o }));
        }
        return scores;
    }

    [Fact]
    public void Item_scores_are_the_minimum_of_each_pair_and_their_geometric_mean()
    {
        var c1 = Judge().Single(s => s.Key == "c1");
        Assert.Equal(6, c1.Scores["sc"]);
        Assert.Equal(4, c1.Scores["pq"]);
        Assert.Equal(Math.Sqrt(24), c1.Scores["overall"], 12);
        var t1 = Judge().Single(s => s.Key == "t1");
        Assert.Equal(4, t1.Scores["sc"]);
        Assert.Equal(1, t1.Scores["pq"]);
        Assert.Equal(2, t1.Scores["overall"], 12);
    }

    [Fact]
    public void Unparseable_and_out_of_range_replies_are_excluded_and_counted_per_group()
    {
        var summary = ScoreAggregator.Summarise(Judge(), "overall");
        var color = summary.Groups.Single(g => g.Group == "color");
        var remove = summary.Groups.Single(g => g.Group == "remove");
        Assert.Equal((2, 1), (color.Items, color.Failures));
        Assert.Equal((1, 1), (remove.Items, remove.Failures));
        Assert.Equal(2, summary.Failures);
        Assert.Equal(4, summary.Items);
        Assert.Equal((Math.Sqrt(6 * 4) + Math.Sqrt(10 * 9)) / 2, color.Mean, 12);
        Assert.Equal(Math.Sqrt(2 * 8), remove.Mean, 12);
    }

    [Fact]
    public void The_reported_mean_is_the_unweighted_mean_over_groups()
    {
        var summary = ScoreAggregator.Summarise(Judge(), "overall");
        var expected = ((Math.Sqrt(6 * 4) + Math.Sqrt(10 * 9)) / 2 + Math.Sqrt(2 * 8) + Math.Sqrt(4 * 1)) / 3;
        Assert.Equal(expected, summary.MacroMean, 12);
        var itemMean = Judge().Where(s => !s.Failed).Average(s => s.Scores["overall"]);
        Assert.NotEqual(itemMean, summary.MacroMean, 6);
    }

    [Fact]
    public void Repeated_judgments_give_item_variance_and_an_interval_around_the_mean()
    {
        var scores = new List<ItemScore>();
        var random = new Random(3);
        foreach (var group in new[] { "a", "b" })
            for (var item = 0; item < 20; item++)
                for (var sample = 0; sample < 3; sample++)
                    scores.Add(new ItemScore($"{group}{item}", group, sample,
                        new Dictionary<string, double> { ["overall"] = 5 + item % 4 + random.NextDouble() }));
        var summary = ScoreAggregator.Summarise(scores, "overall", bootstrapRounds: 400, seed: 1);
        Assert.All(summary.Groups, g => Assert.InRange(g.ItemVariance, 1.0 / 12 * 0.5, 1.0 / 12 * 1.6));
        Assert.NotNull(summary.MacroInterval);
        var interval = summary.MacroInterval!.Value;
        Assert.True(interval.Low < summary.MacroMean && summary.MacroMean < interval.High, $"{interval} does not contain {summary.MacroMean}");
        Assert.InRange(interval.High - interval.Low, 0.05, 1.5);
    }

    [Fact]
    public void The_intersection_subset_keeps_only_flagged_items()
    {
        var scores = Judge().Select(s => s with { InIntersection = s.Key is "c1" or "r1" }).ToList();
        var summary = ScoreAggregator.Summarise(scores, "sc", ScoreAggregator.Intersection);
        Assert.Equal(["color", "remove"], summary.Groups.Select(g => g.Group));
        Assert.Equal((6 + 2) / 2.0, summary.MacroMean, 12);
    }
}
