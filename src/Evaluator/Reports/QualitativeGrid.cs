using SkiaSharp;

namespace NpEdit.Evaluator.Reports;

/// <summary>
/// A qualitative grid as a PNG: one row per example, columns input | output | ground truth (when the benchmark has
/// one), each cell scaled to the same size with nearest-neighbour sampling so 64 px renders stay crisp, and the
/// row's caption written with the shipped font.
/// </summary>
public static class QualitativeGrid
{
    public sealed record Row(string Caption, byte[] Input, byte[] Output, byte[]? Truth);

    public static void Write(string path, IReadOnlyList<Row> rows, int cell = 192)
    {
        if (rows.Count == 0)
            throw new ArgumentException("A qualitative grid needs at least one row.", nameof(rows));
        var columns = rows.Any(r => r.Truth is not null) ? 3 : 2;
        const int captionHeight = 26, pad = 8, headerHeight = 30;
        var width = pad + columns * (cell + pad);
        var height = headerHeight + rows.Count * (captionHeight + cell + pad);
        using var surface = SKSurface.Create(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Premul));
        var canvas = surface.Canvas;
        canvas.Clear(SKColors.White);
        using var typeface = SKTypeface.FromFile(ReportFonts.FontPath)
            ?? throw new FileNotFoundException($"Cannot load the report font {ReportFonts.FontPath}.", ReportFonts.FontPath);
        using var font = new SKFont(typeface, 15);
        using var ink = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        string[] headers = columns == 3 ? ["input", "output", "ground truth"] : ["input", "output"];
        for (var c = 0; c < columns; c++)
            canvas.DrawText(headers[c], pad + c * (cell + pad), 20, SKTextAlign.Left, font, ink);
        var y = headerHeight;
        foreach (var row in rows)
        {
            canvas.DrawText(Shorten(row.Caption, font, width - 2 * pad), pad, y + 18, SKTextAlign.Left, font, ink);
            y += captionHeight;
            var images = new[] { row.Input, row.Output, row.Truth };
            for (var c = 0; c < columns; c++)
            {
                if (images[c] is not { } bytes)
                    continue;
                using var bitmap = SKBitmap.Decode(bytes) ?? throw new FormatException($"An image of row '{row.Caption}' cannot be decoded.");
                using var image = SKImage.FromBitmap(bitmap);
                canvas.DrawImage(image, new SKRect(pad + c * (cell + pad), y, pad + c * (cell + pad) + cell, y + cell),
                    new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None));
            }
            y += cell + pad;
        }
        using var snapshot = surface.Snapshot();
        using var data = snapshot.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }

    private static string Shorten(string text, SKFont font, float width)
    {
        if (font.MeasureText(text) <= width)
            return text;
        while (text.Length > 4 && font.MeasureText(text + "…") > width)
            text = text[..^1];
        return text + "…";
    }
}
