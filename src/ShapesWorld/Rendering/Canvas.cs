namespace NpEdit.ShapesWorld.Rendering;

/// <summary>A float RGB working buffer; compositing happens here and is quantised once at the end.</summary>
internal sealed class Canvas
{
    public readonly int Width;
    public readonly int Height;
    public readonly float[] Data;

    public Canvas(int width, int height)
    {
        Width = width;
        Height = height;
        Data = new float[width * height * 3];
    }

    public void Set(int x, int y, Rgb c)
    {
        int i = (y * Width + x) * 3;
        Data[i] = c.R; Data[i + 1] = c.G; Data[i + 2] = c.B;
    }

    public void Blend(int x, int y, Rgb c, float alpha)
    {
        if (alpha <= 0f) return;
        if (alpha > 1f) alpha = 1f;
        int i = (y * Width + x) * 3;
        Data[i] += (c.R - Data[i]) * alpha;
        Data[i + 1] += (c.G - Data[i + 1]) * alpha;
        Data[i + 2] += (c.B - Data[i + 2]) * alpha;
    }

    public void Scale(int x, int y, float k)
    {
        int i = (y * Width + x) * 3;
        Data[i] *= k; Data[i + 1] *= k; Data[i + 2] *= k;
    }

    public Rgb Get(int x, int y)
    {
        int i = (y * Width + x) * 3;
        return new(Data[i], Data[i + 1], Data[i + 2]);
    }

    /// <summary>Rounds to bytes; when <paramref name="block"/> &gt; 1 each canvas pixel becomes a block×block square (pixel-art style).</summary>
    public void WriteRgb(Span<byte> rgb, int outWidth, int outHeight, int block)
    {
        for (int y = 0; y < outHeight; y++)
        {
            int sy = Math.Min(y / block, Height - 1);
            for (int x = 0; x < outWidth; x++)
            {
                int sx = Math.Min(x / block, Width - 1);
                int s = (sy * Width + sx) * 3, d = (y * outWidth + x) * 3;
                rgb[d] = ToByte(Data[s]);
                rgb[d + 1] = ToByte(Data[s + 1]);
                rgb[d + 2] = ToByte(Data[s + 2]);
            }
        }
    }

    private static byte ToByte(float v) => (byte)Math.Clamp((int)(v + 0.5f), 0, 255);
}
