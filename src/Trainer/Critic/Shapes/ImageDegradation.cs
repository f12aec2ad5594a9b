namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>Degraded renders for identity negatives: Gaussian noise and box blur on RGB bytes, deterministic per seed.</summary>
public static class ImageDegradation
{
    /// <summary>Adds N(0, σ²) per channel, σ in 0…255 units, clamped.</summary>
    public static byte[] Noise(byte[] rgb, double sigma, ulong seed)
    {
        var rng = new NpEdit.ShapesWorld.SplitMix64(seed);
        var result = new byte[rgb.Length];
        for (var i = 0; i < rgb.Length; i++)
        {
            // Box–Muller from two uniforms.
            var u1 = 1.0 - rng.NextDouble();
            var gaussian = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * rng.NextDouble());
            result[i] = (byte)Math.Clamp(Math.Round(rgb[i] + sigma * gaussian), 0, 255);
        }
        return result;
    }

    /// <summary>A (2r+1)² box blur, applied <paramref name="passes"/> times (three passes ≈ Gaussian).</summary>
    public static byte[] Blur(byte[] rgb, int size, int radius, int passes)
    {
        var current = rgb;
        for (var p = 0; p < passes; p++)
        {
            var next = new byte[rgb.Length];
            for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            for (var c = 0; c < 3; c++)
            {
                var (sum, count) = (0, 0);
                for (var dy = -radius; dy <= radius; dy++)
                for (var dx = -radius; dx <= radius; dx++)
                {
                    var (yy, xx) = (y + dy, x + dx);
                    if (yy < 0 || yy >= size || xx < 0 || xx >= size)
                        continue;
                    sum += current[(yy * size + xx) * 3 + c];
                    count++;
                }
                next[(y * size + x) * 3 + c] = (byte)((sum + count / 2) / count);
            }
            current = next;
        }
        return current;
    }
}
