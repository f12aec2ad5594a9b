using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Analysis by synthesis: improves the network's parse by rendering alternatives and keeping whichever explains the
/// image's pixels best (least squared error). One sweep visits the style, the background, the sign's character, then
/// every object (every shape at coarse angles, then the exact angle, colour, size, pattern and a local jitter search).
/// ShapesWorld renders are deterministic, so on a clean render the true scene has zero error; on an editor's output
/// the search settles on the closest scene. It costs a few hundred renders per object, so it is opt-in.
/// </summary>
public static class SceneRefiner
{
    /// <summary>How many of the network's leading alternatives to try per attribute (objects' shape and colour try every value).</summary>
    public const int CharacterCandidates = 3, KindCandidates = 3, StyleCandidates = 4;

    public static Scene Refine(Scene scene, SceneAlternatives alternatives, RgbImage image, int sweeps = 3)
    {
        var search = new Search(image, scene);
        for (int sweep = 0; sweep < sweeps; sweep++)
        {
            double before = search.Error;
            // The global look first: every object comparison below is made under it.
            search.Try(alternatives.Styles.Take(StyleCandidates).Select(s => search.Best with { Style = (RenderStyle)s }));
            search.Try(alternatives.BackgroundKinds.Take(KindCandidates).SelectMany(k => Backgrounds((BackgroundKind)k, search.Best.Background))
                .Select(b => search.Best with { Background = b }));
            if (search.Best.Sign is { } sign)
                search.Try(alternatives.Characters[(int)sign.Cell].Take(CharacterCandidates)
                    .Select(c => search.Best with { Sign = sign with { Character = TextSign.Alphabet[c] } }));
            for (int k = 0; k < search.Best.Objects.Count; k++)
            {
                // Every shape at 30° steps finds the shape (3° or 15° off still beats another shape), then its exact angle.
                search.TryObject(k, o => Enum.GetValues<ShapeKind>()
                    .SelectMany(s => Angles(s, 30).Select(r => o with { Shape = s, Rotation = r })));
                search.TryObject(k, o => Angles(o.Shape, 15).Select(r => o with { Rotation = r }));
                search.TryObject(k, o => Enum.GetValues<NamedColor>().Select(c => o with { Color = c }));
                search.TryObject(k, o => Enum.GetValues<SizeClass>().Select(z => o with { Size = z }));
                search.TryObject(k, o => Enum.GetValues<Pattern>().Select(p => o with { Pattern = p }));
                search.TryObject(k, o => Offsets(o.JitterX).Select(x => o with { JitterX = x }));
                search.TryObject(k, o => Offsets(o.JitterY).Select(y => o with { JitterY = y }));
            }
            if (search.Error == 0 || search.Error >= before) break;
        }
        return search.Best;
    }

    /// <summary>Every multiple of <paramref name="step"/>° with a distinct look for the shape.</summary>
    private static IEnumerable<int> Angles(ShapeKind shape, int step) =>
        Enumerable.Range(0, 360 / step).Select(k => step * k).DistinctBy(r => ShapeSymmetry.Canonical(shape, r));

    private static IEnumerable<int> Offsets(int jitter) =>
        Enumerable.Range(-3, 7).Select(d => jitter + d).Where(j => j is >= -15 and <= 15);

    private static IEnumerable<Background> Backgrounds(BackgroundKind kind, Background current)
    {
        var probe = new Background(kind, current.Tint);
        return probe.UsesTint ? OracleLabels.Tints.Select(t => new Background(kind, t)) : [probe.Normalized()];
    }

    /// <summary>The best scene so far and its pixel error; candidates replace it only when strictly better.</summary>
    private sealed class Search(RgbImage image, Scene start)
    {
        public Scene Best { get; private set; } = start;
        public double Error { get; private set; } = SquaredError(image, start);

        public void TryObject(int index, Func<SceneObject, IEnumerable<SceneObject>> candidates)
        {
            var current = Best.Objects[index];
            Try(candidates(current).Where(o => o != current).Select(o =>
            {
                var objects = Best.Objects.ToArray();
                objects[index] = o;
                return Best with { Objects = objects };
            }));
        }

        public void Try(IEnumerable<Scene> candidates)
        {
            foreach (var candidate in candidates.ToArray())
            {
                double error = SquaredError(image, candidate);
                if (error < Error)
                {
                    Best = candidate;
                    Error = error;
                }
            }
        }

        private static double SquaredError(RgbImage image, Scene scene)
        {
            var rendered = Renderer.Render(scene, image.Width, image.Height);
            long sum = 0;
            for (int i = 0; i < rendered.Length; i++)
            {
                int d = rendered[i] - image.Pixels[i];
                sum += d * d;
            }
            return sum;
        }
    }
}
