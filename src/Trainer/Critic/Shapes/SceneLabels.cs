using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// What a ShapesWorld render shows, as class indices for the scene-label loss: per patch of a g×g grid the
/// object under it (colour, shape — the sign counts as one more shape —, pattern, size, sign character; 0 = none),
/// per image the background kind and tint, the render style and the degradation.
/// </summary>
public sealed record SceneLabels(long[] Color, long[] Shape, long[] Pattern, long[] Size, long[] Character,
    long Background, long Tint, long Style, long Degradation)
{
    /// <summary>Classes per label, "none" included, in the order of <see cref="Heads"/>.</summary>
    public static readonly int[] PatchClasses =
    [
        Enum.GetValues<NamedColor>().Length + 1,
        Enum.GetValues<ShapeKind>().Length + 2,
        Enum.GetValues<Pattern>().Length + 1,
        Enum.GetValues<SizeClass>().Length + 1,
        TextSign.Alphabet.Length + 1,
    ];

    /// <summary>Names of the labels an object carries: the first patch labels, in the order of <see cref="PatchClasses"/> (metric keys).</summary>
    public static readonly string[] ObjectLabelNames = ["color", "shape", "pattern", "size"];

    /// <summary>Classes of the image-level labels: background kind, tint, style, degradation (none, noise, blur).</summary>
    public static readonly int[] ImageClasses =
    [
        Enum.GetValues<BackgroundKind>().Length, Enum.GetValues<NamedColor>().Length, Enum.GetValues<RenderStyle>().Length, 3,
    ];

    /// <summary>The label rows per patch, in the order of <see cref="PatchClasses"/>.</summary>
    public long[][] Heads => [Color, Shape, Pattern, Size, Character];

    /// <summary>The image-level labels, in the order of <see cref="ImageClasses"/>.</summary>
    public long[] ImageLabels => [Background, Tint, Style, Degradation];

    /// <summary>Labels of <paramref name="scene"/> on a <paramref name="grid"/>×<paramref name="grid"/> patch grid.</summary>
    /// <param name="degradation">How the render was degraded (<see cref="CandidateKind.Noisy"/>, <see cref="CandidateKind.Blurred"/>; any other kind means none).</param>
    public static SceneLabels Of(Scene scene, int grid, CandidateKind degradation = CandidateKind.Correct)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var cells = grid * grid;
        var (color, shape, pattern, size, character) = (new long[cells], new long[cells], new long[cells], new long[cells], new long[cells]);
        for (var p = 0; p < cells; p++)
        {
            var (x, y) = ((p % grid + 0.5f) / grid, (p / grid + 0.5f) / grid);
            if (scene.Sign is { } sign && OnSign(sign, x, y, grid))
            {
                shape[p] = Enum.GetValues<ShapeKind>().Length + 1;
                character[p] = TextSign.Alphabet.IndexOf(sign.Character, StringComparison.Ordinal) + 1;
            }
            // The object whose disc covers the patch centre most deeply (objects sit in distinct cells, so overlaps are rare).
            SceneObject? under = null;
            var best = double.MaxValue;
            foreach (var o in scene.Objects)
            {
                var (cx, cy) = SceneLayout.ObjectCenter(o);
                var depth = Math.Sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (SceneLayout.Radius(o.Size) + 0.25 / grid);
                if (depth < 1 && depth < best)
                    (under, best) = (o, depth);
            }
            if (under is null)
                continue;
            color[p] = (long)under.Color + 1;
            shape[p] = (long)under.Shape + 1;
            pattern[p] = (long)under.Pattern + 1;
            size[p] = (long)under.Size + 1;
            character[p] = 0;
        }
        var degraded = degradation switch { CandidateKind.Noisy => 1, CandidateKind.Blurred => 2, _ => 0 };
        return new SceneLabels(color, shape, pattern, size, character,
            (long)scene.Background.Kind, (long)scene.Background.Tint, (long)scene.Style, degraded);
    }

    /// <summary>True when the patch centre (x, y) lies on the sign board (drawn slightly above its cell centre).</summary>
    static bool OnSign(TextSign sign, float x, float y, int grid)
    {
        var (cx, cy) = SceneLayout.CellCenter(sign.Cell);
        var reach = SceneLayout.SignHalfSize + 0.25f / grid;
        return Math.Abs(x - cx) < reach && Math.Abs(y - (cy - 0.03f)) < reach;
    }
}
