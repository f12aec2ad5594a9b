using System.Globalization;
using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Scenes;

/// <summary>
/// Where an oracle's pattern and rotation errors are: the pattern confusion matrix, and both heads' accuracy by object
/// size and render style (and rotation by shape), on clean held-out renders. Tells an input-resolution limit (errors
/// concentrated on small objects) from a head that has not learned.
/// </summary>
internal static class OracleDiagnosis
{
    public static void Run(string? checkpoint, int scenes, long firstScene)
    {
        using var parser = OracleCheckpoint.Load(OracleCheckpoint.Resolve(checkpoint));
        int resolution = parser.Config.Resolution;
        var truth = Enumerable.Range(0, scenes).Select(i => OracleScenes.HeldOut(firstScene + i).Scene).ToArray();
        var parsed = parser.Parse(truth.Select(s => RgbImage.Render(s, resolution)).ToArray());

        int patterns = Enum.GetValues<Pattern>().Length;
        var confusion = new int[patterns, patterns];
        var pattern = new Tally();
        var rotation = new Tally();
        for (int s = 0; s < truth.Length; s++)
        {
            foreach (var to in truth[s].Objects)
            {
                var po = parsed[s].Objects.FirstOrDefault(o => o.Cell == to.Cell);
                if (po is null) continue;
                confusion[(int)to.Pattern, (int)po.Pattern]++;
                pattern.Add(to, truth[s].Style, to.Pattern == po.Pattern);
                int order = ShapeSymmetry.Order(to.Shape);
                if (order > 0)
                    rotation.Add(to, truth[s].Style, ShapeSymmetry.CircularDistance(order, to.Rotation, po.Rotation) < 7.5, shapeRight: to.Shape == po.Shape);
            }
        }

        Console.WriteLine($"{scenes} held-out scenes from {firstScene} at {resolution} px");
        Console.WriteLine("pattern confusion (rows: true, columns: read)");
        Console.WriteLine("           " + string.Concat(Enum.GetNames<Pattern>().Select(n => $"{n,10}")));
        for (int t = 0; t < patterns; t++)
            Console.WriteLine($"{(Pattern)t,-10} " + string.Concat(Enumerable.Range(0, patterns).Select(p => $"{confusion[t, p],10}")));
        pattern.Print("pattern");
        rotation.Print("rotation");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"rotation errors with the shape read right: {rotation.WrongWithShapeRight} of {rotation.Wrong}"));
    }

    private sealed class Tally
    {
        readonly Dictionary<string, (int Right, int Total)> counts = [];

        public int Wrong { get; private set; }

        public int WrongWithShapeRight { get; private set; }

        public void Add(SceneObject o, RenderStyle style, bool right, bool shapeRight = true)
        {
            foreach (var key in new[] { $"size {o.Size}", $"style {style}", $"size×style {o.Size}/{style}", $"shape {o.Shape}" })
            {
                var (r, t) = counts.GetValueOrDefault(key);
                counts[key] = (r + (right ? 1 : 0), t + 1);
            }
            if (right) return;
            Wrong++;
            if (shapeRight) WrongWithShapeRight++;
        }

        public void Print(string head)
        {
            Console.WriteLine($"{head} accuracy by group");
            foreach (var (key, (right, total)) in counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {key,-28} {100.0 * right / total,6:F1}%  ({total - right} wrong of {total})"));
        }
    }
}
