using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Pretraining;

/// <summary>
/// A caption-agreement proxy for G_init until the ShapesWorld oracle exists: for each object a caption
/// names ("red star top left"), look for the named colour where the caption puts the object. A compact
/// caption names colour, shape and cell but not the jitter inside the cell, the size or the rotation, so
/// the reading window is a small core disk (half the radius of the smallest object) slid over every place
/// the scene sampler may put an object of that cell (its centre ± 15% of a cell); each pixel of the disk
/// votes for the nearest palette colour, and the object agrees when at some place the named colour wins.
/// Because that search forgives a colour sprayed over the whole image, the strict reading also requires
/// the colour to win nowhere in the cells the caption leaves empty (no object, no sign): the colour is
/// bound to its cell, not merely present.
/// <para>
/// Checked against renders: true renders of the same captions with other jitter, size and rotation score
/// about 100%, another scene's render about chance (tests in CaptionAgreementFacts). Reading only at the
/// held-out scene's own jittered place instead scored 73% on those same-caption renders, because a model
/// cannot know the jitter the caption does not name.
/// </para>
/// <para>
/// The proxy cannot read every object even on the true render (outlined objects have a background-coloured
/// core, small patterned ones blur at 32 px), so it only scores objects it reads correctly on the true
/// render of the same scene, and reports that share as <see cref="Result.Readable"/>.
/// </para>
/// </summary>
public static class CaptionAgreement
{
    /// <summary>The proxy's verdict over a set of scenes.</summary>
    /// <param name="Objects">Objects named by the captions.</param>
    /// <param name="Readable">Objects whose colour the proxy reads correctly on the true render (the scored ones).</param>
    /// <param name="Agreeing">Readable objects whose named colour the proxy also reads in the named cell of the generated image.</param>
    /// <param name="AgreeingOnlyThere">Agreeing objects whose colour the generated image shows in no empty cell.</param>
    public sealed record Result(int Objects, int Readable, int Agreeing, int AgreeingOnlyThere)
    {
        /// <summary>Agreeing / Readable: the attribute agreement (goal ≥ 0.8).</summary>
        public double Agreement => Readable == 0 ? 0 : (double)Agreeing / Readable;

        /// <summary>AgreeingOnlyThere / Readable: agreement that also rules out the colour anywhere the caption puts nothing.</summary>
        public double StrictAgreement => Readable == 0 ? 0 : (double)AgreeingOnlyThere / Readable;

        /// <summary>Readable / Objects: how much of the captioned content the proxy can check at all.</summary>
        public double ReadableShare => Objects == 0 ? 0 : (double)Readable / Objects;
    }

    /// <summary>Scores <paramref name="generated"/> against the scenes it was prompted with.</summary>
    /// <param name="scenes">The scenes whose captions were the prompts.</param>
    /// <param name="truth">(N, 3, S, S) the true renders in [−1, 1].</param>
    /// <param name="generated">(N, 3, S, S) the samples in [−1, 1].</param>
    public static Result Score(IReadOnlyList<Scene> scenes, Tensor truth, Tensor generated)
    {
        if (truth.shape[0] != scenes.Count || !truth.shape.SequenceEqual(generated.shape))
            throw new ArgumentException($"Expected {scenes.Count} true and generated images of one shape, got ({string.Join(", ", truth.shape)}) and ({string.Join(", ", generated.shape)}).");
        var size = (int)truth.shape[^1];
        var truthRgb = ToRgb(truth);
        var generatedRgb = ToRgb(generated);
        int objects = 0, readable = 0, agreeing = 0, onlyThere = 0;
        for (var i = 0; i < scenes.Count; i++)
        {
            var empty = Enum.GetValues<GridCell>().Except(scenes[i].OccupiedCells).ToArray();
            foreach (var o in scenes[i].Objects)
            {
                objects++;
                // Readable: on the true render the colour shows in its cell and (as the palette never clashes with the background) nowhere empty.
                if (!ShowsColor(truthRgb, i, size, o.Color, o.Cell) || empty.Any(c => ShowsColor(truthRgb, i, size, o.Color, c)))
                    continue;
                readable++;
                if (!ShowsColor(generatedRgb, i, size, o.Color, o.Cell))
                    continue;
                agreeing++;
                if (!empty.Any(c => ShowsColor(generatedRgb, i, size, o.Color, c)))
                    onlyThere++;
            }
        }
        return new Result(objects, readable, agreeing, onlyThere);
    }

    /// <summary>Largest jitter of an object centre from its cell centre as a fraction of the image (15% of a third; <c>SceneSampler</c>).</summary>
    const double MaxJitter = 0.15 / 3;

    /// <summary>
    /// True when <paramref name="color"/> is the most-voted colour of the reading disk at some place an object
    /// of <paramref name="cell"/> may have in image <paramref name="image"/>: centres on a half-pixel lattice
    /// within <see cref="MaxJitter"/> of the cell centre.
    /// </summary>
    public static bool ShowsColor(byte[] rgb, int image, int size, NamedColor color, GridCell cell)
    {
        var (cx, cy) = SceneLayout.CellCenter(cell);
        // The caption names no size, so read a disk that fits inside the smallest object's core.
        var radius = Math.Max(0.75, 0.5 * SceneLayout.Radius(SizeClass.Small) * size);
        var steps = (int)Math.Floor(2 * MaxJitter * size);
        for (var i = -steps; i <= steps; i++)
        for (var j = -steps; j <= steps; j++)
        {
            if (DominantColor(rgb, image, size, cx * size + 0.5 * j, cy * size + 0.5 * i, radius) == color)
                return true;
        }
        return false;
    }

    /// <summary>The most-voted named colour among the pixels whose centres lie within <paramref name="radius"/> of (<paramref name="x0"/>, <paramref name="y0"/>) pixels.</summary>
    public static NamedColor DominantColor(byte[] rgb, int image, int size, double x0, double y0, double radius)
    {
        var votes = new int[Enum.GetValues<NamedColor>().Length];
        for (var y = Math.Max(0, (int)(y0 - radius)); y <= Math.Min(size - 1, (int)(y0 + radius)); y++)
        for (var x = Math.Max(0, (int)(x0 - radius)); x <= Math.Min(size - 1, (int)(x0 + radius)); x++)
        {
            var (dx, dy) = (x + 0.5 - x0, y + 0.5 - y0);
            if (dx * dx + dy * dy > radius * radius)
                continue;
            var at = ((image * size + y) * size + x) * 3;
            votes[(int)Nearest(rgb[at], rgb[at + 1], rgb[at + 2])]++;
        }
        return (NamedColor)Array.IndexOf(votes, votes.Max());
    }

    /// <summary>The palette colour nearest to an RGB value (Euclidean in RGB).</summary>
    public static NamedColor Nearest(byte r, byte g, byte b)
    {
        var best = NamedColor.Red;
        var bestDistance = float.MaxValue;
        foreach (var c in Enum.GetValues<NamedColor>())
        {
            var p = Palette.Of(c);
            var d = (p.R - r) * (p.R - r) + (p.G - g) * (p.G - g) + (p.B - b) * (p.B - b);
            if (d < bestDistance)
                (best, bestDistance) = (c, d);
        }
        return best;
    }

    /// <summary>(N, 3, S, S) in [−1, 1] → N·S·S·3 bytes, row-major HWC per image.</summary>
    public static byte[] ToRgb(Tensor images)
    {
        using var scope = NewDisposeScope();
        var bytes = ((images.detach().cpu().clamp(-1, 1) + 1) * 127.5).round().to(uint8).permute(0, 2, 3, 1).contiguous();
        return bytes.data<byte>().ToArray();
    }
}
