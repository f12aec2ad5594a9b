namespace NpEdit.ShapesWorld.Scenes;

/// <summary>The surface pattern ("material") of an object: the texture edit type changes it.</summary>
public enum Pattern { Solid, Striped, Dotted, Checkered, Outlined }
