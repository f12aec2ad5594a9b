using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Rendering;

/// <summary>RGB values of the named colours, and which colours would vanish against which background.</summary>
public static class Palette
{
    public static Rgb Of(NamedColor c) => c switch
    {
        NamedColor.Red => new(220, 40, 40),
        NamedColor.Orange => new(245, 140, 30),
        NamedColor.Yellow => new(245, 215, 40),
        NamedColor.Green => new(50, 170, 70),
        NamedColor.Blue => new(40, 90, 220),
        NamedColor.Purple => new(140, 60, 190),
        NamedColor.Pink => new(245, 130, 180),
        NamedColor.Brown => new(130, 80, 40),
        NamedColor.Black => new(25, 25, 25),
        NamedColor.White => new(250, 250, 250),
        NamedColor.Gray => new(128, 128, 128),
        NamedColor.Cyan => new(40, 200, 220),
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };

    /// <summary>The second colour of striped/dotted/checkered objects: a lighter tone, or a darker one for light colours.</summary>
    public static Rgb AccentOf(NamedColor c) => c is NamedColor.White or NamedColor.Yellow or NamedColor.Cyan or NamedColor.Pink
        ? Rgb.Lerp(Of(c), Rgb.Black, 0.45f)
        : Rgb.Lerp(Of(c), Rgb.White, 0.6f);

    /// <summary>True when an object of colour <paramref name="c"/> would be hard to see on <paramref name="b"/>; samplers and edits avoid it.</summary>
    public static bool Clashes(Background b, NamedColor c) => b.Kind switch
    {
        BackgroundKind.Plain or BackgroundKind.Gradient => c == b.Tint || c == NamedColor.White,
        BackgroundKind.Grass => c == NamedColor.Green,
        BackgroundKind.Sky => c is NamedColor.Blue or NamedColor.Cyan or NamedColor.White,
        BackgroundKind.Brick => c is NamedColor.Red or NamedColor.Brown,
        BackgroundKind.Wood => c is NamedColor.Brown or NamedColor.Orange,
        BackgroundKind.Water => c is NamedColor.Blue or NamedColor.Cyan,
        BackgroundKind.Night => c is NamedColor.Black or NamedColor.Purple,
        _ => false,
    };
}
