using ScottPlot;
using ScottPlot.TickGenerators;

namespace NpEdit.Evaluator.Reports;

/// <summary>The report's ScottPlot charts, each written as a PNG with the shipped font.</summary>
public static class Charts
{
    public const int Width = 1000;
    public const int Height = 520;

    /// <summary>
    /// Grouped bars like the paper's Fig. 5: one cluster per category (edit type), one bar per series (variant).
    /// Error bars show the wider side of the 95% bootstrap interval (ScottPlot bars take a symmetric error).
    /// </summary>
    public static void GroupedBars(string path, string title, string yLabel, IReadOnlyList<string> categories, IReadOnlyList<BarSeries> series)
    {
        var plot = new Plot();
        ReportFonts.Apply(plot);
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        var width = 0.8 / Math.Max(1, series.Count);
        for (var c = 0; c < categories.Count; c++)
            for (var s = 0; s < series.Count; s++)
            {
                if (!series[s].Values.TryGetValue(categories[c], out var v) || !double.IsFinite(v.Value))
                    continue;
                bars.Add(new Bar
                {
                    Position = c + (s - (series.Count - 1) / 2.0) * width,
                    Value = v.Value,
                    Error = HalfWidth(v),
                    Size = width * 0.95,
                    FillColor = palette.GetColor(s),
                });
            }
        plot.Add.Bars(bars);
        plot.Axes.Bottom.TickGenerator = new NumericManual(Enumerable.Range(0, categories.Count).Select(i => (double)i).ToArray(), categories.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = categories.Count > 6 ? 30 : 0;
        plot.Axes.Bottom.TickLabelStyle.Alignment = categories.Count > 6 ? Alignment.MiddleLeft : Alignment.UpperCenter;
        plot.Axes.Bottom.MinimumSize = categories.Count > 6 ? 110 : 40; // room for the rotated edit-type names
        plot.Axes.Margins(bottom: 0);
        for (var s = 0; s < series.Count; s++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = series[s].Name, FillColor = palette.GetColor(s) });
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Training curves: one line per metric key (and run), step on x.</summary>
    public static void Curves(string path, string title, IReadOnlyList<(string Name, double[] Steps, double[] Values)> lines)
    {
        var plot = new Plot();
        ReportFonts.Apply(plot);
        foreach (var (name, steps, values) in lines)
        {
            var line = plot.Add.ScatterLine(steps, values);
            line.LegendText = name;
            line.LineWidth = 2;
            if (steps.Length < 3)
                line.MarkerSize = 9; // a metric logged once or twice (e.g. a benchmark at the last step) is no line
        }
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title(title);
        plot.XLabel("step");
        plot.SavePng(path, Width, Height);
    }

    /// <summary>Per-item agreement of two judges: a scatter of their scores with the diagonal of perfect agreement.</summary>
    public static void Agreement(string path, string title, string xLabel, string yLabel, double[] x, double[] y)
    {
        var plot = new Plot();
        ReportFonts.Apply(plot);
        var points = plot.Add.ScatterPoints(x, y);
        points.MarkerSize = 9;
        var (lo, hi) = (Math.Min(x.Min(), y.Min()), Math.Max(x.Max(), y.Max()));
        var diagonal = plot.Add.Line(lo, lo, hi, hi);
        diagonal.LinePattern = LinePattern.Dashed;
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        plot.SavePng(path, Width, Height);
    }

    private static double HalfWidth((double Value, double? Low, double? High) v) =>
        v.Low is { } low && v.High is { } high ? Math.Max(v.Value - low, high - v.Value) : 0;
}
