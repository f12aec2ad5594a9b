using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Rendering;

/// <summary>
/// Signed distance functions of the shapes in a unit frame (x right, y up, shapes fit the unit circle).
/// Negative inside. Distances are exact or close to it, which the renderer turns into analytic anti-aliasing.
/// Polygon and heart SDFs follow Inigo Quilez, https://iquilezles.org/articles/distfunctions2d/.
/// </summary>
public static class ShapeGeometry
{
    private static readonly Polygon Triangle = Polygon.Regular(3, 1.0, 90);
    private static readonly Polygon Hexagon = Polygon.Regular(6, 0.95, 90);
    private static readonly Polygon Pentagon = Polygon.Regular(5, 0.95, 90);
    private static readonly Polygon Star = Polygon.Star(5, 1.0, 0.45, 90);
    private static readonly Polygon Diamond = new([(0, 1), (-0.65, 0), (0, -1), (0.65, 0)]);
    private static readonly Polygon Arrow = new([
        (-0.9, 0.22), (0.15, 0.22), (0.15, 0.6), (0.95, 0), (0.15, -0.6), (0.15, -0.22), (-0.9, -0.22),
    ]);

    /// <summary>Rotational symmetry order (0 = every rotation is a symmetry, as for the circle).</summary>
    public static int SymmetryOrder(ShapeKind shape) => shape switch
    {
        ShapeKind.Circle => 0,
        ShapeKind.Square or ShapeKind.Cross => 4,
        ShapeKind.Triangle => 3,
        ShapeKind.Star or ShapeKind.Pentagon => 5,
        ShapeKind.Hexagon => 6,
        ShapeKind.Diamond => 2,
        ShapeKind.Heart or ShapeKind.Crescent or ShapeKind.Arrow => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    /// <summary>Angle (degrees, on screen, clockwise from "right") of a mirror axis of the unrotated shape.</summary>
    public static int MirrorAxisDegrees(ShapeKind shape) => shape is ShapeKind.Crescent or ShapeKind.Arrow ? 0 : 90;

    public static float Distance(ShapeKind shape, float x, float y) => shape switch
    {
        ShapeKind.Circle => MathF.Sqrt(x * x + y * y) - 0.9f,
        ShapeKind.Square => Box(x, y, 0.75f, 0.75f),
        ShapeKind.Triangle => Triangle.Distance(x, y + 0.15f),
        ShapeKind.Star => Star.Distance(x, y + 0.05f),
        ShapeKind.Heart => Heart(x, y),
        ShapeKind.Hexagon => Hexagon.Distance(x, y),
        ShapeKind.Diamond => Diamond.Distance(x, y),
        ShapeKind.Pentagon => Pentagon.Distance(x, y + 0.05f),
        ShapeKind.Cross => MathF.Min(Box(x, y, 0.9f, 0.3f), Box(x, y, 0.3f, 0.9f)),
        ShapeKind.Crescent => MathF.Max(MathF.Sqrt(x * x + y * y) - 0.9f, 0.72f - MathF.Sqrt((x - 0.42f) * (x - 0.42f) + y * y)),
        ShapeKind.Arrow => Arrow.Distance(x, y),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    private static float Box(float x, float y, float hx, float hy)
    {
        float dx = MathF.Abs(x) - hx, dy = MathF.Abs(y) - hy;
        float ox = MathF.Max(dx, 0), oy = MathF.Max(dy, 0);
        return MathF.Sqrt(ox * ox + oy * oy) + MathF.Min(MathF.Max(dx, dy), 0);
    }

    private static float Heart(float x, float y)
    {
        // Quilez's heart spans x∈[−0.6,0.6], y∈[0,1.1]; map our unit frame onto it.
        const float k = 0.56f;
        float px = MathF.Abs(x) * k, py = y * k + 0.56f;
        if (py + px > 1.0f)
        {
            float ax = px - 0.25f, ay = py - 0.75f;
            return (MathF.Sqrt(ax * ax + ay * ay) - 0.35355339f) / k;
        }
        float bx = px, by = py - 1.0f;
        float m = 0.5f * MathF.Max(px + py, 0);
        float cx = px - m, cy = py - m;
        float d = MathF.Sqrt(MathF.Min(bx * bx + by * by, cx * cx + cy * cy));
        return (px > py ? d : -d) / k;
    }
}
