namespace NpEdit.ShapesWorld.Scenes;

/// <summary>A scene background. <paramref name="Tint"/> matters only for <see cref="BackgroundKind.Plain"/> and <see cref="BackgroundKind.Gradient"/>.</summary>
public sealed record Background(BackgroundKind Kind, NamedColor Tint)
{
    public bool UsesTint => Kind is BackgroundKind.Plain or BackgroundKind.Gradient;

    /// <summary>Canonical form: textured backgrounds carry a fixed tint so that equal-looking backgrounds compare equal.</summary>
    public Background Normalized() => UsesTint ? this : this with { Tint = NamedColor.White };
}
