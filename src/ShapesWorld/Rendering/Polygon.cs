namespace NpEdit.ShapesWorld.Rendering;

/// <summary>A closed polygon with an exact signed distance (Quilez's winding-sign formulation).</summary>
internal sealed class Polygon
{
    private readonly float[] _x;
    private readonly float[] _y;
    private readonly float[] _ex;
    private readonly float[] _ey;
    private readonly float[] _invLen2;

    public Polygon(IReadOnlyList<(double X, double Y)> vertices)
    {
        int n = vertices.Count;
        _x = new float[n]; _y = new float[n]; _ex = new float[n]; _ey = new float[n]; _invLen2 = new float[n];
        for (int i = 0; i < n; i++) { _x[i] = (float)vertices[i].X; _y[i] = (float)vertices[i].Y; }
        for (int i = 0, j = n - 1; i < n; j = i, i++)
        {
            _ex[i] = _x[j] - _x[i];
            _ey[i] = _y[j] - _y[i];
            _invLen2[i] = 1f / (_ex[i] * _ex[i] + _ey[i] * _ey[i]);
        }
    }

    public static Polygon Regular(int sides, double radius, double firstAngleDegrees) =>
        new(Enumerable.Range(0, sides).Select(k => Point(radius, firstAngleDegrees + 360.0 * k / sides)).ToArray());

    public static Polygon Star(int points, double outer, double inner, double firstAngleDegrees) =>
        new(Enumerable.Range(0, 2 * points)
            .Select(k => Point(k % 2 == 0 ? outer : inner, firstAngleDegrees + 180.0 * k / points)).ToArray());

    private static (double, double) Point(double r, double deg) => (r * DeterministicTrig.CosDeg(deg), r * DeterministicTrig.SinDeg(deg));

    public float Distance(float px, float py)
    {
        float d = (px - _x[0]) * (px - _x[0]) + (py - _y[0]) * (py - _y[0]);
        bool inside = false;
        int n = _x.Length;
        for (int i = 0, j = n - 1; i < n; j = i, i++)
        {
            float ex = _ex[i], ey = _ey[i];
            float wx = px - _x[i], wy = py - _y[i];
            float t = Math.Clamp((wx * ex + wy * ey) * _invLen2[i], 0f, 1f);
            float bx = wx - ex * t, by = wy - ey * t;
            float dd = bx * bx + by * by;
            if (dd < d) d = dd;
            bool c1 = py >= _y[i], c2 = py < _y[j], c3 = ex * wy > ey * wx;
            if ((c1 && c2 && c3) || (!c1 && !c2 && !c3)) inside = !inside;
        }
        float dist = MathF.Sqrt(d);
        return inside ? -dist : dist;
    }
}
