namespace NpEdit.ShapesWorld.Scenes;

/// <summary>The object shapes of ShapesWorld. Arrow, heart and crescent are the ones with a visible orientation.</summary>
public enum ShapeKind { Circle, Square, Triangle, Star, Heart, Hexagon, Diamond, Pentagon, Cross, Crescent, Arrow }
