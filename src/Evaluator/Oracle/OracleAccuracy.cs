using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>Measures a parser on held-out oracle scenes (<see cref="OracleScenes.HeldOut"/>) rendered cleanly.</summary>
public static class OracleAccuracy
{
    public static readonly string[] AttributeNames =
        ["occupancy", "shape", "color", "size", "pattern", "rotation", "character", "background", "tint", "style"];

    public static OracleAccuracyReport Measure(SceneParser parser, int scenes, int? resolution = null, long firstIndex = 0, bool refine = false)
    {
        if (scenes < 1) throw new ArgumentException($"Measure at least one scene (got {scenes}).");
        int size = resolution ?? parser.Config.Resolution;
        var truth = Enumerable.Range(0, scenes).Select(i => OracleScenes.HeldOut(firstIndex + i).Scene).ToArray();
        var parsed = parser.Parse(truth.Select(s => RgbImage.Render(s, size)).ToArray(), refine: refine);
        return Compare(truth, parsed, size);
    }

    /// <summary>Counts, attribute by attribute, where <paramref name="parsed"/> agrees with <paramref name="truth"/>.</summary>
    public static OracleAccuracyReport Compare(IReadOnlyList<Scene> truth, IReadOnlyList<Scene> parsed, int resolution)
    {
        var correct = AttributeNames.ToDictionary(n => n, _ => 0L);
        var total = AttributeNames.ToDictionary(n => n, _ => 0L);
        int exact = 0;
        void Count(string name, bool ok)
        {
            total[name]++;
            if (ok) correct[name]++;
        }

        for (int s = 0; s < truth.Count; s++)
        {
            var t = truth[s];
            var p = parsed[s];
            bool all = true;
            void Check(string name, bool ok)
            {
                Count(name, ok);
                all &= ok;
            }

            foreach (GridCell cell in Enum.GetValues<GridCell>())
            {
                var to = t.Objects.FirstOrDefault(o => o.Cell == cell);
                var po = p.Objects.FirstOrDefault(o => o.Cell == cell);
                Check("occupancy", Occupant(t, cell) == Occupant(p, cell));
                if (to is not null && po is not null)
                {
                    Check("shape", to.Shape == po.Shape);
                    Check("color", to.Color == po.Color);
                    Check("size", to.Size == po.Size);
                    Check("pattern", to.Pattern == po.Pattern);
                    int order = ShapeSymmetry.Order(to.Shape);
                    if (order > 0) Check("rotation", ShapeSymmetry.CircularDistance(order, to.Rotation, po.Rotation) < 7.5);
                }
            }
            if (t.Sign is { } sign && p.Sign is { } readSign && readSign.Cell == sign.Cell)
                Check("character", sign.Character == readSign.Character);
            Check("background", t.Background.Kind == p.Background.Kind);
            if (t.Background.UsesTint && p.Background.Kind == t.Background.Kind)
                Check("tint", t.Background.Tint == p.Background.Tint);
            Check("style", t.Style == p.Style);
            if (all) exact++;
        }
        var attributes = AttributeNames.Select(n => new AttributeAccuracy(n, correct[n], total[n])).ToArray();
        return new OracleAccuracyReport(truth.Count, resolution, attributes, (double)exact / Math.Max(1, truth.Count));
    }

    private static int Occupant(Scene s, GridCell cell) =>
        s.Objects.Any(o => o.Cell == cell) ? OracleLabels.ObjectOccupant : s.Sign?.Cell == cell ? OracleLabels.SignOccupant : OracleLabels.Empty;
}
