using System.Diagnostics;
using System.Globalization;
using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Evaluation;

/// <summary>
/// The oracle as a judge, on the two editors whose right scores are known: copying the input (no edit made, everything
/// kept: edit success 0, preservation 1) and the true target (edit success 1, preservation 1). Every ShapesWorld-Bench
/// item, at the demo editor's 32 px and the benchmark's 64 px, with the network alone and with refinement.
/// </summary>
internal static class OracleJudgeCheck
{
    public static void Run(string? checkpoint, int itemsPerType)
    {
        using var parser = OracleCheckpoint.Load(OracleCheckpoint.Resolve(checkpoint));
        var items = ShapesBench.BuildItems(new BenchOptions { ItemsPerType = itemsPerType });
        Console.WriteLine($"{items.Count} ShapesWorld-Bench items; mean over items (edit success, preservation, realism) and parse time");
        foreach (int resolution in new[] { 32, 64 })
            foreach (bool refine in new[] { false, true })
            {
                var scorer = new ShapesBenchScorer(parser, refine);
                foreach (var (editor, output) in new (string, Func<EditItem, RgbImage>)[]
                {
                    ("copy input (right: 0 / 1)", i => RgbImage.Render(i.Source, resolution)),
                    ("true target (right: 1 / 1)", i => RgbImage.Render(GroundTruth.TargetOf(i), resolution)),
                })
                {
                    var clock = Stopwatch.StartNew();
                    var scores = scorer.Score(items.Select(i => (i, output(i))).ToArray());
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"{resolution,2} px {(refine ? "refined" : "network"),-8} {editor,-27} edit {scores.Average(s => s.EditSuccess):F3}  preservation {scores.Average(s => s.Preservation):F3}  realism {scores.Average(s => s.Realism):F3}  {clock.Elapsed.TotalSeconds,5:F1} s"));
                }
            }
    }
}
