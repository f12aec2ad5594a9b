using NpEdit.ShapesWorld.Rendering;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Pretraining;

/// <summary>
/// Writes sample grids as PNG: pairs of (true render | sample) for each prompt, scaled up with nearest
/// neighbour so 32 px images stay readable, with a gap between pairs.
/// </summary>
public static class SampleGrid
{
    /// <summary>Writes the grid of <paramref name="truth"/> and <paramref name="generated"/> ((N, 3, S, S) in [−1, 1]) to <paramref name="path"/>.</summary>
    /// <param name="columns">Pairs per row.</param>
    /// <param name="scale">Integer upscaling factor.</param>
    public static void Write(string path, Tensor truth, Tensor generated, int columns = 4, int scale = 4)
    {
        if (!truth.shape.SequenceEqual(generated.shape))
            throw new ArgumentException("The true and generated images must have one shape.");
        var (n, s) = ((int)truth.shape[0], (int)truth.shape[^1]);
        var a = CaptionAgreement.ToRgb(truth);
        var b = CaptionAgreement.ToRgb(generated);
        const int gap = 4;
        var cell = s * scale;
        var rows = (n + columns - 1) / columns;
        var (width, height) = (columns * (2 * cell + gap) + gap, rows * (cell + gap) + gap);
        var canvas = new byte[width * height * 3];
        Array.Fill(canvas, (byte)40);
        for (var i = 0; i < n; i++)
        {
            var (left, top) = (gap + i % columns * (2 * cell + gap), gap + i / columns * (cell + gap));
            Blit(a, i, s, scale, canvas, width, left, top);
            Blit(b, i, s, scale, canvas, width, left + cell, top);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllBytes(path, PngCodec.Encode(canvas, width, height));
    }

    static void Blit(byte[] rgb, int image, int size, int scale, byte[] canvas, int width, int left, int top)
    {
        for (var y = 0; y < size * scale; y++)
        for (var x = 0; x < size * scale; x++)
        {
            var from = ((image * size + y / scale) * size + x / scale) * 3;
            var to = ((top + y) * width + left + x) * 3;
            canvas[to] = rgb[from];
            canvas[to + 1] = rgb[from + 1];
            canvas[to + 2] = rgb[from + 2];
        }
    }
}
