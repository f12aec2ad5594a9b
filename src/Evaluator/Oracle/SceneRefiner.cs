using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Analysis by synthesis: improves the network's parse by rendering alternatives and keeping whichever explains the
/// image's pixels best (least squared error). One sweep visits the style, the background, the sign's character, then
/// every object (each of the network's leading shapes fitted in angle, pattern, size, colour and position, the best
/// fit kept). ShapesWorld renders are deterministic, so on a clean render the true scene has zero error; on an editor's
/// output the search settles on the closest scene. About a thousand renders per object (≈ 0.4 CPU-s per 64-px scene,
/// a quarter of that at 32 px); the oracle judge and <c>npedit oracle check</c> refine by default.
/// </summary>
public static class SceneRefiner
{
    /// <summary>How many of the network's leading alternatives to try per attribute (an object's colour, size, pattern and angle try every value).</summary>
    public const int CharacterCandidates = 3, KindCandidates = 3, StyleCandidates = 4, ShapeCandidates = 3;

    /// <summary>Rounds of the local descent that fits one shape's angle, pattern, size, colour and position.</summary>
    private const int FitRounds = 4;

    /// <summary>
    /// A sweep or fit round that removes less than this share of the pixel error is the last: on a clean render the error
    /// falls to zero in large steps, while on an image no scene explains (noise, a blurred editor output) small gains
    /// would otherwise keep every round and sweep going.
    /// </summary>
    private const double MinGain = 0.02;

    /// <summary>How far (in jitter units) one step of the position search looks; the network's position is often 5–8 off.</summary>
    private const int JitterReach = 6;

    public static Scene Refine(Scene scene, SceneAlternatives alternatives, RgbImage image, int sweeps = 2)
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
                FitObject(search, image, k, alternatives.Shapes[(int)search.Best.Objects[k].Cell]);
            if (search.Error == 0 || search.Error > before * (1 - MinGain)) break;
        }
        return search.Best;
    }

    /// <summary>
    /// Fits object <paramref name="k"/> as each of the network's leading shapes (and its current one) by a local descent
    /// over angle, pattern, size, colour and position, then keeps the shape whose fit explains the pixels best. Comparing
    /// shapes only after each is fitted matters: with the position a pixel or two off, a rounder wrong shape covers the
    /// object better than the right one left where it was, and a greedy swap to it is never undone.
    /// </summary>
    private static void FitObject(Search search, RgbImage image, int k, int[] shapeRanking)
    {
        var start = search.Best.Objects[k];
        var shapes = shapeRanking.Take(ShapeCandidates).Select(s => (ShapeKind)s).Prepend(start.Shape).Distinct();
        var fits = shapes.Select(shape =>
        {
            var objects = search.Best.Objects.ToArray();
            objects[k] = start with { Shape = shape };
            var fit = new Search(image, search.Best with { Objects = objects });
            for (int round = 0; round < FitRounds && fit.Error > 0; round++)
            {
                double before = fit.Error;
                var style = fit.Best.Style;
                // Angle and pattern together: a striped fill at the wrong angle can look checkered at another.
                fit.TryObject(k, o => Enum.GetValues<Pattern>()
                    .SelectMany(p => VisibleAngles(o.Shape, p, style).Select(r => o with { Pattern = p, Rotation = r })));
                fit.TryObject(k, o => Enum.GetValues<SizeClass>().Select(z => o with { Size = z }));
                fit.TryObject(k, o => Enum.GetValues<NamedColor>().Select(c => o with { Color = c }));
                fit.TryObject(k, o => Offsets(o.JitterX).Select(x => o with { JitterX = x }));
                fit.TryObject(k, o => Offsets(o.JitterY).Select(y => o with { JitterY = y }));
                if (fit.Error > before * (1 - MinGain)) break;
            }
            return fit.Best;
        }).ToArray();
        search.Try(fits);
    }

    /// <summary>
    /// Every multiple of 15° that can look different. Only a plain circle looks the same at every angle: the fill pattern
    /// and the sketch hatching turn with the object and are not centred on it, and the triangle, pentagon and star are
    /// drawn with their bounding box centred, so turning them by their symmetry angle moves them (ShapeGeometry).
    /// </summary>
    private static IEnumerable<int> VisibleAngles(ShapeKind shape, Pattern pattern, RenderStyle style)
    {
        bool plainCircle = shape == ShapeKind.Circle && pattern is Pattern.Solid or Pattern.Outlined && style != RenderStyle.Sketch;
        return plainCircle ? [0] : Enumerable.Range(0, 24).Select(k => 15 * k);
    }

    private static IEnumerable<int> Offsets(int jitter) =>
        Enumerable.Range(-JitterReach, 2 * JitterReach + 1).Select(d => jitter + d).Where(j => j is >= -15 and <= 15);

    private static IEnumerable<Background> Backgrounds(BackgroundKind kind, Background current)
    {
        var probe = new Background(kind, current.Tint);
        return probe.UsesTint ? OracleLabels.Tints.Select(t => new Background(kind, t)) : [probe.Normalized()];
    }

    /// <summary>The best scene so far and its pixel error; candidates replace it only when strictly better.</summary>
    private sealed class Search(RgbImage image, Scene start)
    {
        readonly byte[] buffer = new byte[image.Pixels.Length];

        public Scene Best { get; private set; } = start;
        public double Error { get; private set; } = SquaredError(image, Renderer.Render(start, image.Width, image.Height));

        /// <summary>Tries replacements for object <paramref name="index"/>; the rest of the scene is painted once for all of them.</summary>
        public void TryObject(int index, Func<SceneObject, IEnumerable<SceneObject>> candidates)
        {
            var current = Best.Objects[index];
            var variants = new ObjectVariantRenderer(Best, index, image.Width, image.Height);
            SceneObject? best = null;
            foreach (var candidate in candidates(current))
            {
                if (candidate == current) continue;
                variants.Render(candidate, buffer);
                double error = SquaredError(image, buffer);
                if (error < Error)
                {
                    best = candidate;
                    Error = error;
                }
            }
            if (best is null) return;
            var objects = Best.Objects.ToArray();
            objects[index] = best;
            Best = Best with { Objects = objects };
        }

        public void Try(IEnumerable<Scene> candidates)
        {
            foreach (var candidate in candidates.ToArray())
            {
                Renderer.Render(candidate, image.Width, image.Height, buffer);
                double error = SquaredError(image, buffer);
                if (error < Error)
                {
                    Best = candidate;
                    Error = error;
                }
            }
        }

        private static double SquaredError(RgbImage image, ReadOnlySpan<byte> rendered)
        {
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
