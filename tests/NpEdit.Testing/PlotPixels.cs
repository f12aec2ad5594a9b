using SkiaSharp;
using Xunit;

namespace NpEdit.Testing;

/// <summary>Tells a drawn plot from an empty canvas by its pixels (report tests of the Evaluator and the Jobs).</summary>
public static class PlotPixels
{
    /// <summary>Saturated pixels (bars, lines, markers, images) and dark pixels (text, axes).</summary>
    public static (int Colored, int Dark) Count(string path)
    {
        using var bitmap = SKBitmap.Decode(path) ?? throw new Xunit.Sdk.XunitException($"{path} is not a readable PNG");
        int colored = 0, dark = 0;
        foreach (var p in bitmap.Pixels)
        {
            int max = Math.Max(p.Red, Math.Max(p.Green, p.Blue)), min = Math.Min(p.Red, Math.Min(p.Green, p.Blue));
            if (max - min > 60) colored++;
            else if (max < 90) dark++;
        }
        return (colored, dark);
    }

    /// <summary>Fails unless every PNG of a report has a drawn plot (the qualitative grid: mostly images, few captions).</summary>
    public static void AssertDrawn(string folder, IEnumerable<string> images)
    {
        foreach (var image in images)
        {
            var (colored, dark) = Count(Path.Combine(folder, image));
            if (image.StartsWith("qualitative", StringComparison.Ordinal))
            {
                Assert.True(colored > 5_000, $"{image}: only {colored} coloured pixels, the grid shows no images");
                Assert.True(dark > 100, $"{image}: no captions were drawn");
                continue;
            }
            Assert.True(colored > 400, $"{image}: only {colored} coloured pixels, the plot looks empty");
            Assert.True(dark > 300, $"{image}: only {dark} dark pixels, no text or axes were drawn");
        }
    }
}
