namespace NpEdit.ShapesWorld.Scenes;

/// <summary>
/// A complete ShapesWorld scene: background, 1–5 objects (distinct cells, distinct colour+shape names),
/// an optional text sign in its own cell, and a global style. Equality is structural, object order included.
/// </summary>
public sealed record Scene(Background Background, IReadOnlyList<SceneObject> Objects, TextSign? Sign, RenderStyle Style)
{
    public const int MaxObjects = 5;

    public bool Equals(Scene? other) =>
        other is not null
        && Background.Normalized() == other.Background.Normalized()
        && Objects.SequenceEqual(other.Objects)
        && Sign == other.Sign
        && Style == other.Style;

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Background.Normalized());
        foreach (var o in Objects) hash.Add(o);
        hash.Add(Sign);
        hash.Add(Style);
        return hash.ToHashCode();
    }

    public SceneObject? FindByName(string name) => Objects.FirstOrDefault(o => o.Name == name);

    /// <summary>Cells taken by objects or the sign.</summary>
    public IEnumerable<GridCell> OccupiedCells => Objects.Select(o => o.Cell).Concat(Sign is null ? [] : [Sign.Cell]);
}
