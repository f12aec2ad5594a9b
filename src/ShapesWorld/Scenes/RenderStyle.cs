namespace NpEdit.ShapesWorld.Scenes;

/// <summary>The global look of a rendered scene: the style edit type changes it.</summary>
public enum RenderStyle { Flat, Sketch, Pixelated, Glow }
