using SkiaSharp;

namespace NpEdit.Evaluator.Imaging;

/// <summary>Encoded images (PNG, JPEG, WebP) in and out, through SkiaSharp (which ScottPlot already brings).</summary>
public static class ImageBytes
{
    public static string MediaType(ReadOnlySpan<byte> bytes) => bytes switch
    {
        [0x89, 0x50, 0x4E, 0x47, ..] => "image/png",
        [0xFF, 0xD8, ..] => "image/jpeg",
        [0x52, 0x49, 0x46, 0x46, _, _, _, _, 0x57, 0x45, 0x42, 0x50, ..] => "image/webp",
        _ => "application/octet-stream",
    };

    public static (int Width, int Height) Size(byte[] encoded)
    {
        using var codec = SKCodec.Create(new SKMemoryStream(encoded))
            ?? throw new FormatException("The image is not a PNG, JPEG or WebP file SkiaSharp can read.");
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>Decodes to tightly packed RGB bytes.</summary>
    public static (byte[] Rgb, int Width, int Height) DecodeRgb(byte[] encoded, int? width = null, int? height = null)
    {
        using var decoded = SKBitmap.Decode(encoded) ?? throw new FormatException("The image is not a PNG, JPEG or WebP file SkiaSharp can read.");
        using var bitmap = width is { } w && height is { } h && (decoded.Width != w || decoded.Height != h) ? Resized(decoded, w, h) : decoded.Copy(SKColorType.Rgba8888);
        var rgb = new byte[bitmap.Width * bitmap.Height * 3];
        var pixels = bitmap.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            rgb[3 * i] = pixels[i].Red;
            rgb[3 * i + 1] = pixels[i].Green;
            rgb[3 * i + 2] = pixels[i].Blue;
        }
        return (rgb, bitmap.Width, bitmap.Height);
    }

    public static byte[] EncodePng(byte[] rgb, int width, int height)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var pixels = new SKColor[width * height];
        for (var i = 0; i < pixels.Length; i++)
            pixels[i] = new SKColor(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]);
        bitmap.Pixels = pixels;
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>
    /// The edited image at the source's size, as GEdit-Bench's script resizes before judging; returned unchanged
    /// when the sizes already match, so exact renders stay byte-identical.
    /// </summary>
    public static byte[] MatchSize(byte[] edited, byte[] source)
    {
        var (sw, sh) = Size(source);
        var (ew, eh) = Size(edited);
        if (sw == ew && sh == eh)
            return edited;
        var (rgb, w, h) = DecodeRgb(edited, sw, sh);
        return EncodePng(rgb, w, h);
    }

    private static SKBitmap Resized(SKBitmap source, int width, int height) =>
        source.Copy(SKColorType.Rgba8888).Resize(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque), new SKSamplingOptions(SKCubicResampler.Mitchell))
        ?? throw new FormatException($"Could not resize a {source.Width}×{source.Height} image to {width}×{height}.");
}
