namespace NpEdit.ShapesWorld.Scenes;

/// <summary>A small white sign showing one upper-case letter or digit, standing in a grid cell.</summary>
public sealed record TextSign(char Character, GridCell Cell)
{
    public const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
}
