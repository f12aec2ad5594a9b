using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// A scene as named facts, the unit the edit judge compares: <c>background</c>, <c>style</c>, and per cell
/// <c>cell.occupant</c> plus the occupant's attributes (<c>cell.shape</c>, <c>.color</c>, <c>.size</c>, <c>.pattern</c>,
/// <c>.rotation</c> as the visible angle, <c>.character</c> for the sign). Jitter is not a fact: no edit asks for it.
/// </summary>
public static class SceneFacts
{
    public const string Background = "background";
    public const string Style = "style";

    public static string Key(GridCell cell, string attribute) => $"{cell}.{attribute}";

    public static Dictionary<string, string> Of(Scene scene)
    {
        var facts = new Dictionary<string, string>
        {
            [Background] = scene.Background.UsesTint ? $"{scene.Background.Kind}:{scene.Background.Tint}" : scene.Background.Kind.ToString(),
            [Style] = scene.Style.ToString(),
        };
        foreach (var cell in Enum.GetValues<GridCell>()) facts[Key(cell, "occupant")] = "empty";
        foreach (var o in scene.Objects)
        {
            facts[Key(o.Cell, "occupant")] = "object";
            facts[Key(o.Cell, "shape")] = o.Shape.ToString();
            facts[Key(o.Cell, "color")] = o.Color.ToString();
            facts[Key(o.Cell, "size")] = o.Size.ToString();
            facts[Key(o.Cell, "pattern")] = o.Pattern.ToString();
            if (ShapeSymmetry.Order(o.Shape) > 0)
                facts[Key(o.Cell, "rotation")] = ShapeSymmetry.Canonical(o.Shape, o.Rotation).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (scene.Sign is { } sign)
        {
            facts[Key(sign.Cell, "occupant")] = "sign";
            facts[Key(sign.Cell, "character")] = sign.Character.ToString();
        }
        return facts;
    }

    /// <summary>The facts of one cell (its occupant and the occupant's attributes).</summary>
    public static IEnumerable<string> KeysOf(IReadOnlyDictionary<string, string> facts, GridCell cell) =>
        facts.Keys.Where(k => k.StartsWith($"{cell}.", StringComparison.Ordinal));
}
