using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Rendering;

namespace NpEdit.Evaluator.GInit;

/// <summary>
/// A PNG of triplets — true render | sample | what the oracle read in the sample, rendered back — scaled up with
/// nearest neighbour so 32 px images stay readable, so a person can check the oracle's verdicts by eye.
/// </summary>
public static class ReadingGrid
{
    public static void Write(string path, IReadOnlyList<IReadOnlyList<RgbImage>> rows, int columns = 4, int scale = 4)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("No images for the grid.");
        var size = rows[0][0].Width;
        var width = rows[0].Count;
        if (rows.Any(r => r.Count != width || r.Any(i => i.Width != size || i.Height != size)))
            throw new ArgumentException($"Every grid entry needs {width} images of {size}×{size}.");
        const int gap = 4;
        var cell = size * scale;
        var gridRows = (rows.Count + columns - 1) / columns;
        var (w, h) = (columns * (width * cell + gap) + gap, gridRows * (cell + gap) + gap);
        var canvas = new byte[w * h * 3];
        Array.Fill(canvas, (byte)40);
        for (var i = 0; i < rows.Count; i++)
        {
            var (left, top) = (gap + i % columns * (width * cell + gap), gap + i / columns * (cell + gap));
            for (var k = 0; k < width; k++)
                Blit(rows[i][k], scale, canvas, w, left + k * cell, top);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, PngCodec.Encode(canvas, w, h));
    }

    static void Blit(RgbImage image, int scale, byte[] canvas, int width, int left, int top)
    {
        for (var y = 0; y < image.Height * scale; y++)
        for (var x = 0; x < image.Width * scale; x++)
        {
            var from = ((y / scale) * image.Width + x / scale) * 3;
            var to = ((top + y) * width + left + x) * 3;
            canvas[to] = image.Pixels[from];
            canvas[to + 1] = image.Pixels[from + 1];
            canvas[to + 2] = image.Pixels[from + 2];
        }
    }
}
