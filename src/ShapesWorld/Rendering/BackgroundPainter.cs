using NpEdit.ShapesWorld.Scenes;
using static NpEdit.ShapesWorld.Rendering.Shading;

namespace NpEdit.ShapesWorld.Rendering;

/// <summary>Fills the canvas with one of the background families; texture scales with the image, not the pixel grid.</summary>
internal static class BackgroundPainter
{
    private static readonly (float X, float Y, float R)[] Clouds = [(0.2f, 0.17f, 0.1f), (0.3f, 0.2f, 0.08f), (0.68f, 0.3f, 0.1f), (0.78f, 0.27f, 0.075f)];

    public static void Paint(Canvas c, Background b, RenderStyle style)
    {
        float w = c.Width, h = c.Height, scale = MathF.Min(w, h);
        Rgb tint = Palette.Of(b.Tint);
        Rgb paper = new(246, 241, 228);
        for (int y = 0; y < c.Height; y++)
        {
            float v = (y + 0.5f) / h;
            for (int x = 0; x < c.Width; x++)
            {
                float u = (x + 0.5f) / w;
                Rgb color = b.Kind switch
                {
                    BackgroundKind.Plain => Rgb.Lerp(tint, Rgb.White, 0.7f),
                    BackgroundKind.Gradient => Rgb.Lerp(Rgb.Lerp(tint, Rgb.White, 0.25f), Rgb.White, v * 0.9f),
                    BackgroundKind.Grass => Grass(u, v),
                    BackgroundKind.Sky => Sky(u, v, scale),
                    BackgroundKind.Brick => Brick(u, v, w, h),
                    BackgroundKind.Wood => Wood(u, v, h),
                    BackgroundKind.Water => Water(u, v),
                    BackgroundKind.Night => Night(u, v, scale),
                    _ => throw new ArgumentOutOfRangeException(nameof(b)),
                };
                color = style switch
                {
                    RenderStyle.Glow => color.Scale(0.32f),
                    RenderStyle.Sketch => Rgb.Lerp(color, paper, 0.62f),
                    _ => color,
                };
                c.Set(x, y, color);
            }
        }
    }

    private static Rgb Grass(float u, float v)
    {
        int column = (int)MathF.Floor(u * 40f);
        float blade = Hash01(column, (int)MathF.Floor(v * 6f + Hash01(column, 7) * 3f));
        return new Rgb(70, 150, 55).Scale(0.78f + 0.3f * blade - 0.12f * v);
    }

    private static Rgb Sky(float u, float v, float scale)
    {
        Rgb color = Rgb.Lerp(new(80, 150, 225), new(175, 210, 245), v);
        float cloud = 0f;
        foreach (var (cx, cy, r) in Clouds)
        {
            float dx = (u - cx) * 0.6f, dy = v - cy;
            cloud = MathF.Max(cloud, Coverage((MathF.Sqrt(dx * dx + dy * dy) - r) * scale));
        }
        return Rgb.Lerp(color, new(250, 250, 252), cloud * 0.9f);
    }

    private static Rgb Brick(float u, float v, float w, float h)
    {
        const float rows = 8f, brickWidth = 0.25f;
        float rowF = v * rows;
        int row = (int)MathF.Floor(rowF);
        float bu = u / brickWidth + ((row & 1) == 1 ? 0.5f : 0f);
        int column = (int)MathF.Floor(bu);
        float fu = bu - column, fv = rowF - row;
        float du = MathF.Min(fu, 1f - fu) * brickWidth * w, dv = MathF.Min(fv, 1f - fv) / rows * h;
        float mortar = Coverage(MathF.Min(du, dv) - MathF.Max(0.5f, 0.008f * w));
        Rgb brick = new Rgb(172, 62, 46).Scale(0.86f + 0.2f * Hash01(column, row));
        return Rgb.Lerp(brick, new(205, 198, 188), mortar);
    }

    private static Rgb Wood(float u, float v, float h)
    {
        const float planks = 5f;
        float rowF = v * planks;
        int row = (int)MathF.Floor(rowF);
        float fv = rowF - row;
        float grain = Tri(v * 38f + 1.8f * Tri(u * 1.3f + Hash01(row, 3)));
        Rgb wood = new Rgb(168, 116, 66).Scale((0.88f + 0.14f * Hash01(row, 11)) * (0.9f + 0.12f * grain));
        float seam = Coverage(MathF.Min(fv, 1f - fv) / planks * h - MathF.Max(0.45f, 0.006f * h));
        return Rgb.Lerp(wood, new(80, 50, 25), seam);
    }

    private static Rgb Water(float u, float v)
    {
        Rgb water = Rgb.Lerp(new(30, 90, 170), new(55, 135, 210), v);
        float ripple = Tri(v * 14f + 0.35f * Tri(u * 2.5f));
        return Rgb.Lerp(water, new(190, 225, 250), Math.Clamp((0.22f - ripple) * 3f, 0f, 0.5f));
    }

    private static Rgb Night(float u, float v, float scale)
    {
        Rgb sky = Rgb.Lerp(new(10, 14, 42), new(34, 40, 92), v);
        const float grid = 18f;
        int gx = (int)MathF.Floor(u * grid), gy = (int)MathF.Floor(v * grid);
        if (Hash01(gx, gy) >= 0.28f) return sky;
        float sx = (gx + 0.2f + 0.6f * Hash01(gy, gx)) / grid, sy = (gy + 0.2f + 0.6f * Hash01(gx + 5, gy)) / grid;
        float dx = u - sx, dy = v - sy;
        float d = MathF.Sqrt(dx * dx + dy * dy) * scale - MathF.Max(0.5f, 0.005f * scale);
        return Rgb.Lerp(sky, new(255, 250, 220), Coverage(d));
    }
}
