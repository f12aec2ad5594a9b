namespace NpEdit.ShapesWorld.Rendering;

/// <summary>A linear-blend colour with components in 0…255, kept as floats while compositing.</summary>
public readonly record struct Rgb(float R, float G, float B)
{
    public static Rgb Lerp(Rgb a, Rgb b, float t) => new(a.R + (b.R - a.R) * t, a.G + (b.G - a.G) * t, a.B + (b.B - a.B) * t);

    public Rgb Scale(float k) => new(R * k, G * k, B * k);

    public float Luminance => 0.299f * R + 0.587f * G + 0.114f * B;

    public static readonly Rgb White = new(255, 255, 255);
    public static readonly Rgb Black = new(0, 0, 0);
}
