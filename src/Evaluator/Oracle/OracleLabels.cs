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

    /// <summary>Plain and gradient tints the sampler uses (never white, black or grey).</summary>
    public static readonly NamedColor[] Tints = Enum.GetValues<NamedColor>().Where(c => c is not (NamedColor.White or NamedColor.Black or NamedColor.Gray)).ToArray();
}
