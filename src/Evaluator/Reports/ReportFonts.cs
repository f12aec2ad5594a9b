using ScottPlot;

namespace NpEdit.Evaluator.Reports;

/// <summary>
/// Loads the shipped DejaVu Sans by path and sets it on every plot: SkiaSharp's NoDependencies natives ignore
/// fontconfig, so without this the typeface (or whether text renders at all) depends on the machine.
/// </summary>
public static class ReportFonts
{
    public const string Family = "NpEdit Sans";
    private static readonly Lock Gate = new();
    private static bool _loaded;

    public static string FontPath => Path.Combine(AppContext.BaseDirectory, "fonts", "DejaVuSans.ttf");

    public static void Apply(Plot plot)
    {
        lock (Gate)
        {
            if (!_loaded)
            {
                if (!File.Exists(FontPath))
                    throw new FileNotFoundException($"The report font {FontPath} is missing from the build output; rebuild NpEdit.Evaluator (it copies Reports/Fonts/*).", FontPath);
                Fonts.AddFontFile(Family, FontPath);
                _loaded = true;
            }
        }
        plot.Font.Set(Family);
    }
}
