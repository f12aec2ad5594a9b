using NpEdit.ShapesWorld.Scenes;
using static NpEdit.ShapesWorld.Rendering.Shading;

namespace NpEdit.ShapesWorld.Rendering;

/// <summary>
/// Draws one object: the shape's signed distance gives analytic anti-aliasing (coverage = 0.5 − d in pixels),
/// and the pattern is evaluated in the object's own rotated frame so it turns with the object.
/// </summary>
internal static class ObjectPainter
{
    private static readonly Rgb Graphite = new(52, 52, 58);

    public static void Paint(Canvas c, SceneObject o, RenderStyle style)
    {
        float scale = MathF.Min(c.Width, c.Height);
        var (ux, uy) = SceneLayout.ObjectCenter(o);
        float cx = ux * c.Width, cy = uy * c.Height;
        float r = SceneLayout.Radius(o.Size) * scale;
        float cos = (float)DeterministicTrig.CosDeg(o.Rotation), sin = (float)DeterministicTrig.SinDeg(o.Rotation);
        float reach = r * (style == RenderStyle.Glow ? 1.7f : 1.05f) + 1f;
        int x0 = Math.Max(0, (int)MathF.Floor(cx - reach)), x1 = Math.Min(c.Width - 1, (int)MathF.Ceiling(cx + reach));
        int y0 = Math.Max(0, (int)MathF.Floor(cy - reach)), y1 = Math.Min(c.Height - 1, (int)MathF.Ceiling(cy + reach));

        Rgb baseColor = Palette.Of(o.Color), accent = Palette.AccentOf(o.Color);
        float invR = 1f / r, strokeHalf = MathF.Max(0.6f, 0.07f * r), ringHalf = MathF.Max(0.7f, 0.1f * r);
        float skipBeyond = 0.5f + MathF.Max(strokeHalf, ringHalf);
        for (int y = y0; y <= y1; y++)
        {
            float dy = y + 0.5f - cy;
            for (int x = x0; x <= x1; x++)
            {
                float dx = x + 0.5f - cx;
                // Undo the clockwise on-screen rotation, then flip y so the unit frame has y up.
                float nx = (dx * cos + dy * sin) * invR;
                float ny = (dx * sin - dy * cos) * invR;
                float d = ShapeGeometry.Distance(o.Shape, nx, ny) * r;
                if (style == RenderStyle.Glow && d > 0f)
                {
                    float halo = 1f - d / (0.65f * r);
                    if (halo > 0f) c.Blend(x, y, baseColor, 0.7f * halo * halo);
                }
                if (d > skipBeyond) continue;
                if (o.Pattern == Pattern.Outlined)
                {
                    float ring = Coverage(MathF.Abs(d) - ringHalf);
                    c.Blend(x, y, style == RenderStyle.Sketch ? Rgb.Lerp(baseColor, Graphite, 0.4f) : baseColor, ring);
                    continue;
                }
                float cover = Coverage(d);
                Rgb fill = Rgb.Lerp(baseColor, accent, PatternMix(o.Pattern, nx, ny, r));
                switch (style)
                {
                    case RenderStyle.Sketch:
                        float hatch = Band((nx - ny) * 0.7071f, 0.22f, r);
                        c.Blend(x, y, fill, cover * (0.35f + 0.5f * hatch));
                        c.Blend(x, y, Graphite, 0.9f * Coverage(MathF.Abs(d) - strokeHalf));
                        break;
                    case RenderStyle.Glow:
                        c.Blend(x, y, Rgb.Lerp(fill, Rgb.White, 0.15f), cover);
                        break;
                    default:
                        c.Blend(x, y, fill, cover);
                        break;
                }
            }
        }
    }

    /// <summary>How much of the accent colour shows at unit-frame point (nx, ny): 0 = base colour, 1 = accent.</summary>
    private static float PatternMix(Pattern pattern, float nx, float ny, float r)
    {
        switch (pattern)
        {
            case Pattern.Striped:
                return Band((nx + ny) * 0.7071f, 0.45f, r);
            case Pattern.Checkered:
                float a = Band(nx + 2f, 0.6f, r), b = Band(ny + 2f, 0.6f, r);
                return a + b - 2f * a * b;
            case Pattern.Dotted:
                const float period = 0.5f;
                float gx = (nx + 2f) / period, gy = (ny + 2f) / period;
                gx -= MathF.Floor(gx) + 0.5f;
                gy -= MathF.Floor(gy) + 0.5f;
                return Coverage((MathF.Sqrt(gx * gx + gy * gy) * period - 0.13f) * r);
            default:
                return 0f;
        }
    }
}
