using NpEdit.Evaluator.Reports;
using NpEdit.Testing;
using SkiaSharp;

namespace NpEdit.Evaluator.Tests.Reports;

public sealed class ChartsFacts
{
    [Fact]
    public void Curves_DrawAMetricLoggedOnce_AsAPointInThePlot()
    {
        // A benchmark metric logged only at the last step gave an empty plot (a one-point line draws nothing).
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "once.png");
        Charts.Curves(path, "bench/action/edit_success", [("run", [400.0], [0.25])]);

        using var bitmap = SKBitmap.Decode(path);
        var series = new ScottPlot.Palettes.Category10().GetColor(0); // the first series's colour
        // Auto-scaled axes put the single point in the middle of the data area; the legend's swatch is in the upper
        // right corner, outside this central window.
        var (cx, cy) = (bitmap.Width / 2, bitmap.Height / 2);
        var hits = 0;
        for (var y = cy - 60; y < cy + 60; y++)
            for (var x = cx - 80; x < cx + 80; x++)
            {
                var pixel = bitmap.GetPixel(x, y);
                if (Math.Abs(pixel.Red - series.R) < 8 && Math.Abs(pixel.Green - series.G) < 8 && Math.Abs(pixel.Blue - series.B) < 8)
                    hits++;
            }
        Assert.True(hits >= 20, $"the point's marker should be drawn near the plot's centre; found {hits} pixels of the series colour");
    }
}
