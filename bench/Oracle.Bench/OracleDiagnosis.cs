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
    public static void Run(string? checkpoint, int scenes, long firstScene, string? dumpDirectory = null)
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
                if (dumpDirectory is not null && to.Pattern != po.Pattern)
                    DumpCell(dumpDirectory, truth[s], to, po, resolution, s);
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

    /// <summary>The misread object's cell, 8× enlarged, as a PNG named by what it is and how it was read.</summary>
    private static void DumpCell(string directory, Scene scene, SceneObject truth, SceneObject read, int resolution, int index)
    {
        Directory.CreateDirectory(directory);
        var image = RgbImage.Render(scene, resolution);
        int cell = resolution / 3, zoom = 8, x0 = (int)truth.Cell % 3 * cell, y0 = (int)truth.Cell / 3 * cell;
        var pixels = new byte[cell * zoom * cell * zoom * 3];
        for (int y = 0; y < cell * zoom; y++)
            for (int x = 0; x < cell * zoom; x++)
                for (int k = 0; k < 3; k++)
                    pixels[(y * cell * zoom + x) * 3 + k] = image.Pixels[((y0 + y / zoom) * resolution + x0 + x / zoom) * 3 + k];
        var name = $"{index:D4}-{truth.Cell}-{truth.Size}-{scene.Style}-{truth.Pattern}-as-{read.Pattern}.png";
        File.WriteAllBytes(Path.Combine(directory, name), NpEdit.ShapesWorld.Rendering.PngCodec.Encode(pixels, cell * zoom, cell * zoom));
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
