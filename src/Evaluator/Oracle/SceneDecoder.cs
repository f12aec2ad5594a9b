using NpEdit.ShapesWorld.Scenes;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Turns head outputs into <see cref="Scene"/>s: the most likely value of every attribute, one sign at most
/// (the most confident sign cell), rotations snapped to the 15° steps scenes use, jitter rounded to whole percent.
/// </summary>
public static class SceneDecoder
{
    public static Scene[] Decode(SceneParserOutput output)
    {
        using var scope = NewDisposeScope();
        var occupancy = output.Occupancy.softmax(-1).cpu();
        long batch = occupancy.shape[0];
        var occ = occupancy.data<float>().ToArray();
        var shape = ArgMax(output.Shape);
        var color = ArgMax(output.Color);
        var size = ArgMax(output.Size);
        var pattern = ArgMax(output.Pattern);
        var character = ArgMax(output.Character);
        var kind = ArgMax(output.BackgroundKind);
        var style = ArgMax(output.Style);
        var rotation = ArgMax(output.Rotation);
        var jitter = output.Jitter.cpu().data<float>().ToArray();
        var tintLogits = output.BackgroundTint.cpu().data<float>().ToArray();

        var scenes = new Scene[batch];
        for (int b = 0; b < batch; b++)
        {
            int signCell = -1;
            float signP = 0f;
            var objects = new List<SceneObject>();
            for (int c = 0; c < OracleLabels.Cells; c++)
            {
                int i = b * OracleLabels.Cells + c;
                float pEmpty = occ[3 * i], pObject = occ[3 * i + 1], pSign = occ[3 * i + 2];
                if (pSign > pEmpty && pSign > pObject && pSign > signP)
                {
                    signCell = c;
                    signP = pSign;
                }
            }
            for (int c = 0; c < OracleLabels.Cells; c++)
            {
                int i = b * OracleLabels.Cells + c;
                if (c == signCell || occ[3 * i + 1] <= occ[3 * i]) continue;
                if (occ[3 * i + 2] > occ[3 * i + 1] && occ[3 * i + 2] > occ[3 * i]) continue;
                var kindOfShape = (ShapeKind)shape[i];
                int order = ShapeSymmetry.Order(kindOfShape);
                double canonical = order == 0 ? 0 : OracleLabels.CanonicalDegrees(order, rotation[i]);
                objects.Add(new SceneObject(
                    kindOfShape, (NamedColor)color[i], (SizeClass)size[i], (Pattern)pattern[i], (GridCell)c,
                    JitterPercent(jitter[2 * i]), JitterPercent(jitter[2 * i + 1]),
                    ShapeSymmetry.Snap(kindOfShape, canonical)));
            }
            var backgroundKind = (BackgroundKind)kind[b];
            var background = new Background(backgroundKind, BestTint(tintLogits, b)).Normalized();
            TextSign? sign = signCell >= 0 ? new TextSign(TextSign.Alphabet[(int)character[b * OracleLabels.Cells + signCell]], (GridCell)signCell) : null;
            scenes[b] = new Scene(background, objects, sign, (RenderStyle)style[b]);
        }
        return scenes;
    }

    /// <summary>Every head's values ranked by the network, best first, per image.</summary>
    public static SceneAlternatives[] Rank(SceneParserOutput output)
    {
        using var scope = NewDisposeScope();
        var shapes = Ranks(output.Shape);
        var colors = Ranks(output.Color);
        var characters = Ranks(output.Character);
        var kinds = Ranks(output.BackgroundKind);
        var styles = Ranks(output.Style);
        return Enumerable.Range(0, kinds.Length).Select(b => new SceneAlternatives(
            shapes.Skip(b * OracleLabels.Cells).Take(OracleLabels.Cells).ToArray(),
            colors.Skip(b * OracleLabels.Cells).Take(OracleLabels.Cells).ToArray(),
            characters.Skip(b * OracleLabels.Cells).Take(OracleLabels.Cells).ToArray(),
            kinds[b], styles[b])).ToArray();
    }

    /// <summary>Class indices sorted by logit, one row per cell (or scene).</summary>
    private static int[][] Ranks(Tensor logits)
    {
        long classes = logits.shape[^1];
        var order = logits.reshape(-1, classes).argsort(-1, descending: true).cpu().data<long>().ToArray();
        return order.Chunk((int)classes).Select(row => row.Select(v => (int)v).ToArray()).ToArray();
    }

    private static long[] ArgMax(Tensor logits) => logits.argmax(-1).cpu().data<long>().ToArray();

    private static int JitterPercent(float units) => Math.Clamp((int)Math.Round(units * 15f), -15, 15);

    /// <summary>The likeliest tint among those a backdrop can have.</summary>
    private static NamedColor BestTint(float[] logits, int b)
    {
        var best = OracleLabels.Tints[0];
        foreach (var t in OracleLabels.Tints)
            if (logits[b * OracleLabels.Colors + (int)t] > logits[b * OracleLabels.Colors + (int)best]) best = t;
        return best;
    }
}
