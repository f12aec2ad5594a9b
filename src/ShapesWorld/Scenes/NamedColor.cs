namespace NpEdit.ShapesWorld.Scenes;

/// <summary>Colour names that captions and instructions use; <see cref="Palette"/> maps them to RGB.</summary>
public enum NamedColor { Red, Orange, Yellow, Green, Blue, Purple, Pink, Brown, Black, White, Gray, Cyan }
