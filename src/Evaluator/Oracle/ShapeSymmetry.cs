using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Rotational symmetry of each shape, as ShapesWorld draws it (a test checks it against
/// <c>EditApplier.LooksSame</c>). Only the rotation modulo 360/order turns the outline, so the oracle predicts and
/// compares that canonical angle. Pixels are less symmetric: the triangle, pentagon and star are drawn with their
/// bounding box centred, so such a turn also shifts them by a pixel or two, and fill patterns and sketch hatching turn
/// with the object (<see cref="SceneRefiner"/> therefore searches every 15° step).
/// </summary>
public static class ShapeSymmetry
{
    /// <summary>Rotational symmetry order; 0 means every rotation looks the same (the circle). The renderer's own table.</summary>
    public static int Order(ShapeKind shape) => ShapeGeometry.SymmetryOrder(shape);

    /// <summary>The visible rotation in degrees, in [0, 360/order); 0 for the circle.</summary>
    public static int Canonical(ShapeKind shape, int rotation)
    {
        int order = Order(shape);
        if (order == 0) return 0;
        int period = 360 / order;
        return ((rotation % period) + period) % period;
    }

    /// <summary>
    /// The multiple of 15° in [0, 360) whose visible rotation is closest to <paramref name="canonicalDegrees"/>
    /// (measured on the symmetry circle), so a parsed scene uses the same angles as sampled ones.
    /// </summary>
    public static int Snap(ShapeKind shape, double canonicalDegrees)
    {
        int order = Order(shape);
        if (order == 0) return 0;
        int best = 0;
        double bestDistance = double.MaxValue;
        for (int k = 0; k < 24; k++)
        {
            double distance = CircularDistance(order, 15 * k, canonicalDegrees);
            if (distance < bestDistance - 1e-9)
            {
                bestDistance = distance;
                best = 15 * k;
            }
        }
        return best;
    }

    /// <summary>Angular distance in degrees between two rotations of a shape with symmetry <paramref name="order"/> ≥ 1.</summary>
    public static double CircularDistance(int order, double a, double b)
    {
        double period = 360.0 / order;
        double d = Math.Abs(a - b) % period;
        return Math.Min(d, period - d);
    }
}
