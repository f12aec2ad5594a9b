namespace NpEdit.ShapesWorld;

/// <summary>
/// Sine and cosine built only from +, * and / so results are bit-identical everywhere;
/// <see cref="Math.Sin(double)"/> defers to the platform libm, which differs between machines.
/// </summary>
public static class DeterministicTrig
{
    public static double SinDeg(double degrees)
    {
        // Reduce to [-180, 180), then fold into [-90, 90] where the Taylor series converges fast.
        double d = degrees - 360.0 * Math.Floor((degrees + 180.0) / 360.0);
        if (d > 90.0) d = 180.0 - d;
        else if (d < -90.0) d = -180.0 - d;
        double x = d * (Math.PI / 180.0);
        double x2 = x * x;
        double term = x, sum = x;
        for (int n = 1; n <= 12; n++)
        {
            term *= -x2 / ((2 * n) * (2 * n + 1));
            sum += term;
        }
        return sum;
    }

    public static double CosDeg(double degrees) => SinDeg(degrees + 90.0);
}
