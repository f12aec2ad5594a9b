namespace NpEdit.ShapesWorld.Scenes;

/// <summary>One of the nine named cells of the 3×3 layout grid, row-major from the top left.</summary>
public enum GridCell { TopLeft, TopCenter, TopRight, MiddleLeft, Center, MiddleRight, BottomLeft, BottomCenter, BottomRight }
