using NpEdit.ShapesWorld.Scenes;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Supervised labels for a batch of scenes, laid out like <see cref="SceneParserOutput"/>: class indices
/// (<see cref="OracleLabels.Ignore"/> where an attribute does not apply; rotation as <see cref="OracleLabels.RotationBin"/>)
/// and the jitter regression target with its mask.
/// Built on the CPU in one pass over the scenes; <see cref="Build"/> counts what applies so that a loss never
/// averages over an empty set.
/// </summary>
public sealed record SceneTargets(
    Tensor Occupancy, Tensor Shape, Tensor Color, Tensor Size, Tensor Pattern, Tensor Character,
    Tensor Rotation, Tensor Jitter, Tensor JitterMask,
    Tensor BackgroundKind, Tensor BackgroundTint, Tensor Style,
    int ObjectCount, int SignCount, int RotatedCount, int TintCount)
{
    public static SceneTargets Build(IReadOnlyList<Scene> scenes, Device device)
    {
        int n = scenes.Count, cells = n * OracleLabels.Cells;
        var occupancy = new long[cells];
        long[] shape = Filled(cells), color = Filled(cells), size = Filled(cells), pattern = Filled(cells), character = Filled(cells);
        long[] rotation = Filled(cells);
        var jitter = new float[cells * 2];
        var jitterMask = new float[cells * 2];
        var kind = new long[n];
        var tint = Filled(n);
        var style = new long[n];
        int objects = 0, signs = 0, rotated = 0, tints = 0;
        for (int s = 0; s < n; s++)
        {
            var scene = scenes[s];
            foreach (var o in scene.Objects)
            {
                int i = s * OracleLabels.Cells + (int)o.Cell;
                occupancy[i] = OracleLabels.ObjectOccupant;
                shape[i] = (long)o.Shape;
                color[i] = (long)o.Color;
                size[i] = (long)o.Size;
                pattern[i] = (long)o.Pattern;
                jitter[2 * i] = o.JitterX / 15f;
                jitter[2 * i + 1] = o.JitterY / 15f;
                jitterMask[2 * i] = jitterMask[2 * i + 1] = 1f;
                objects++;
                int order = ShapeSymmetry.Order(o.Shape);
                if (order == 0) continue;
                rotation[i] = OracleLabels.RotationBin(order, o.Rotation);
                rotated++;
            }
            if (scene.Sign is { } sign)
            {
                int i = s * OracleLabels.Cells + (int)sign.Cell;
                occupancy[i] = OracleLabels.SignOccupant;
                character[i] = TextSign.Alphabet.IndexOf(sign.Character);
                signs++;
            }
            kind[s] = (long)scene.Background.Kind;
            if (scene.Background.UsesTint)
            {
                tint[s] = (long)scene.Background.Tint;
                tints++;
            }
            style[s] = (long)scene.Style;
        }

        long[] cellShape = [n, OracleLabels.Cells], pairShape = [n, OracleLabels.Cells, 2];
        return new SceneTargets(
            tensor(occupancy, cellShape, device: device), tensor(shape, cellShape, device: device), tensor(color, cellShape, device: device),
            tensor(size, cellShape, device: device), tensor(pattern, cellShape, device: device), tensor(character, cellShape, device: device),
            tensor(rotation, cellShape, device: device),
            tensor(jitter, pairShape, device: device), tensor(jitterMask, pairShape, device: device),
            tensor(kind, device: device), tensor(tint, device: device), tensor(style, device: device),
            objects, signs, rotated, tints);
    }

    private static long[] Filled(int length)
    {
        var a = new long[length];
        Array.Fill(a, OracleLabels.Ignore);
        return a;
    }
}
