using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>How an edit names an object: by colour and shape, which are unique within a scene.</summary>
public sealed record ObjectRef(NamedColor Color, ShapeKind Shape)
{
    public string Name => $"{Vocabulary.Color(Color)} {Vocabulary.Shape(Shape)}";

    public static ObjectRef Of(SceneObject o) => new(o.Color, o.Shape);

    public bool Matches(SceneObject o) => o.Color == Color && o.Shape == Shape;
}
