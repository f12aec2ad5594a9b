namespace NpEdit.ShapesWorld.Scenes;

/// <summary>
/// One shape in a scene. Position is a grid cell plus a jitter in percent of the cell size (−15…15);
/// rotation is in degrees, a multiple of 15, clockwise on screen.
/// </summary>
public sealed record SceneObject(
    ShapeKind Shape,
    NamedColor Color,
    SizeClass Size,
    Pattern Pattern,
    GridCell Cell,
    int JitterX,
    int JitterY,
    int Rotation)
{
    /// <summary>How instructions refer to the object, e.g. "red circle". Unique within a scene.</summary>
    public string Name => $"{Vocabulary.Color(Color)} {Vocabulary.Shape(Shape)}";
}
