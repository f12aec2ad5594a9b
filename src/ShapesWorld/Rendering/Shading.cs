namespace NpEdit.ShapesWorld.Rendering;

/// <summary>Small deterministic helpers shared by the painters: integer hashing and anti-aliased bands.</summary>
internal static class Shading
{
    /// <summary>Hash of two integers to [0, 1); integer-only so it is identical everywhere.</summary>
    public static float Hash01(int a, int b)
    {
        uint h = (uint)a * 0x8DA6B343u ^ (uint)b * 0xD8163841u;
        h ^= h >> 15; h *= 0x2C1B3C6Du; h ^= h >> 12; h *= 0x297A2D39u; h ^= h >> 15;
        return (h >> 8) * (1f / 16777216f);
    }

    /// <summary>Triangle wave in [0, 1]: 0 at integers, 1 at half-integers.</summary>
    public static float Tri(float x) => MathF.Abs(x - MathF.Floor(x) - 0.5f) * -2f + 1f;

    /// <summary>
    /// Coverage (0…1) of the "on" half of a periodic band of period <paramref name="period"/> along coordinate
    /// <paramref name="s"/>, anti-aliased for a frame where one unit is <paramref name="pixelsPerUnit"/> pixels.
    /// </summary>
    public static float Band(float s, float period, float pixelsPerUnit)
    {
        float f = s / period - MathF.Floor(s / period);
        float signed = f < 0.5f ? MathF.Min(f, 0.5f - f) : -MathF.Min(f - 0.5f, 1f - f);
        return Math.Clamp(0.5f + signed * period * pixelsPerUnit, 0f, 1f);
    }

    public static float Coverage(float signedDistancePixels) => Math.Clamp(0.5f - signedDistancePixels, 0f, 1f);
}
