using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The label spaces of the scene parser: what each head classifies, in the order its logits use.
/// Cells are <see cref="GridCell"/> in row-major order.
/// </summary>
public static class OracleLabels
{
    public const int Cells = 9;

    /// <summary>What a cell holds: nothing, an object, or the sign.</summary>
    public const int Empty = 0, ObjectOccupant = 1, SignOccupant = 2, Occupants = 3;

    /// <summary>Labels that a loss skips: a shape label on an empty cell, a tint on a textured background.</summary>
    public const long Ignore = -100;

    public static readonly int Shapes = Enum.GetValues<ShapeKind>().Length;
    public static readonly int Colors = Enum.GetValues<NamedColor>().Length;
    public static readonly int Sizes = Enum.GetValues<SizeClass>().Length;
    public static readonly int Patterns = Enum.GetValues<Pattern>().Length;
    public static readonly int Characters = TextSign.Alphabet.Length;
    public static readonly int BackgroundKinds = Enum.GetValues<BackgroundKind>().Length;
    public static readonly int Styles = Enum.GetValues<RenderStyle>().Length;

    /// <summary>
    /// Rotation classes: 15° bins of order × angle. Scenes rotate by multiples of 15°, and a shape with symmetry order k
    /// looks the same every 360/k degrees, so order × angle (mod 360) is exactly what is visible, on a whole circle.
    /// </summary>
    public const int RotationBins = 24;

    /// <summary>The rotation class of a shape with symmetry <paramref name="order"/> ≥ 1 turned by <paramref name="degrees"/> (a multiple of 15).</summary>
    public static long RotationBin(int order, int degrees) => ((long)order * degrees / 15 % RotationBins + RotationBins) % RotationBins;

    /// <summary>The visible angle in [0, 360/order) that a rotation class stands for.</summary>
    public static double CanonicalDegrees(int order, long bin) => bin * 15.0 / order;

    /// <summary>Plain and gradient tints the sampler uses (never white, black or grey).</summary>
    public static readonly NamedColor[] Tints = Enum.GetValues<NamedColor>().Where(c => c is not (NamedColor.White or NamedColor.Black or NamedColor.Gray)).ToArray();
}
