namespace NpEdit.ShapesWorld.Scenes;

/// <summary>Object size as a caption would name it.</summary>
public enum SizeClass { Small, Medium, Large }
