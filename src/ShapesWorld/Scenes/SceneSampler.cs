using NpEdit.ShapesWorld.Rendering;

namespace NpEdit.ShapesWorld.Scenes;

/// <summary>Draws a random, valid <see cref="Scene"/> from a 64-bit seed; the same seed always gives the same scene.</summary>
public static class SceneSampler
{
    // Relative weights of 1…5 objects.
    private static readonly int[] CountWeights = [20, 25, 25, 15, 15];

    public static Scene Sample(ulong seed, SceneSamplerOptions? options = null)
    {
        options ??= new SceneSamplerOptions();
        options.Validate();
        var rng = new SplitMix64(SplitMix64.Mix(seed));

        var background = SampleBackground(ref rng);
        int count = SampleCount(ref rng, options);
        bool hasSign = count < 9 && rng.Chance(options.SignProbability);

        var cells = Enum.GetValues<GridCell>().ToArray();
        Shuffle(ref rng, cells);
        bool prominent = count == 1 && rng.Chance(options.ProminentProbability);
        if (prominent) (cells[0], cells[Array.IndexOf(cells, GridCell.Center)]) = (GridCell.Center, cells[0]);

        var objects = new List<SceneObject>(count);
        for (int i = 0; i < count; i++)
            objects.Add(SampleObject(ref rng, background, cells[i], objects, prominent));

        TextSign? sign = hasSign ? new TextSign(rng.Pick(TextSign.Alphabet.ToCharArray()), cells[count]) : null;
        var style = SampleStyle(ref rng);
        return new Scene(background, objects, sign, style);
    }

    /// <summary>A fresh object for <paramref name="cell"/> whose name differs from every object in <paramref name="existing"/>.</summary>
    public static SceneObject SampleObject(ref SplitMix64 rng, Background background, GridCell cell, IReadOnlyList<SceneObject> existing, bool prominent = false)
    {
        var colors = Enum.GetValues<NamedColor>().Where(c => !Palette.Clashes(background, c)).ToArray();
        var shapes = Enum.GetValues<ShapeKind>();
        ShapeKind shape;
        NamedColor color;
        do
        {
            shape = rng.Pick(shapes);
            color = rng.Pick(colors);
        } while (existing.Any(o => o.Shape == shape && o.Color == color));

        var size = prominent ? (rng.Chance(0.5) ? SizeClass.Large : SizeClass.Medium) : rng.Pick(Enum.GetValues<SizeClass>());
        var pattern = rng.Chance(0.4) ? Pattern.Solid : rng.Pick(Enum.GetValues<Pattern>());
        int rotation = rng.Chance(0.5) ? 0 : 15 * rng.Next(24);
        int jitterX = prominent ? 0 : rng.Next(-15, 16), jitterY = prominent ? 0 : rng.Next(-15, 16);
        return new SceneObject(shape, color, size, pattern, cell, jitterX, jitterY, rotation);
    }

    public static Background SampleBackground(ref SplitMix64 rng)
    {
        var kind = rng.Pick(Enum.GetValues<BackgroundKind>());
        var tints = Enum.GetValues<NamedColor>().Where(c => c is not (NamedColor.White or NamedColor.Black or NamedColor.Gray)).ToArray();
        return new Background(kind, rng.Pick(tints)).Normalized();
    }

    private static int SampleCount(ref SplitMix64 rng, SceneSamplerOptions options)
    {
        int total = 0;
        for (int n = options.MinObjects; n <= options.MaxObjects; n++) total += CountWeights[n - 1];
        int pick = rng.Next(total);
        for (int n = options.MinObjects; n <= options.MaxObjects; n++)
        {
            pick -= CountWeights[n - 1];
            if (pick < 0) return n;
        }
        return options.MaxObjects;
    }

    private static RenderStyle SampleStyle(ref SplitMix64 rng)
    {
        int roll = rng.Next(100);
        return roll < 55 ? RenderStyle.Flat : roll < 70 ? RenderStyle.Sketch : roll < 85 ? RenderStyle.Pixelated : RenderStyle.Glow;
    }

    private static void Shuffle<T>(ref SplitMix64 rng, T[] items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
