namespace NpEdit.ShapesWorld.Scenes;

/// <summary>Background families. Plain and gradient use the background tint; the textured ones ignore it.</summary>
public enum BackgroundKind { Plain, Gradient, Grass, Sky, Brick, Wood, Water, Night }
