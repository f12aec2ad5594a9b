using System.Security.Cryptography;
using NpEdit.Core.Config.Dataset;
using SkiaSharp;

namespace NpEdit.DatasetBuilder.Images;

/// <summary>
/// Decodes an input file, flattens it to opaque RGB (transparent pixels over white) and downscales it so the long
/// side is at most <see cref="ImageSection.MaxSide"/>, then encodes a PNG. The VLM sees exactly the stored bytes.
/// Files that are corrupt, too small or too large come back as a skip reason instead.
/// </summary>
public sealed class ImagePreparer(ImageSection limits)
{
    /// <summary>The prepared image, or null with <paramref name="skipReason"/> saying why the file is not used.</summary>
    public PreparedImage? Prepare(ReadOnlySpan<byte> file, out string skipReason)
    {
        skipReason = "";
        if (file.Length == 0)
        {
            skipReason = "empty file";
            return null;
        }
        if (file.Length > limits.MaxFileBytes)
        {
            skipReason = $"file too large ({file.Length} bytes > images.max_file_bytes {limits.MaxFileBytes})";
            return null;
        }
        using var data = SKData.CreateCopy(file);
        using var codec = SKCodec.Create(data);
        if (codec is null)
        {
            skipReason = "corrupt or unsupported image (no decoder recognises it)";
            return null;
        }
        var (width, height) = (codec.Info.Width, codec.Info.Height);
        // Checked from the header, before any pixel is decoded.
        if ((long)width * height > limits.MaxPixels)
        {
            skipReason = $"image too large ({width}×{height} > images.max_pixels {limits.MaxPixels})";
            return null;
        }
        if (Math.Min(width, height) < limits.MinSide)
        {
            skipReason = $"image too small ({width}×{height}; short side < images.min_side {limits.MinSide})";
            return null;
        }
        using var decoded = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        var result = codec.GetPixels(decoded.Info, decoded.GetPixels());
        if (result != SKCodecResult.Success)
        {
            skipReason = $"corrupt image ({result} while decoding {width}×{height})";
            return null;
        }
        var scale = Math.Min(1.0, (double)limits.MaxSide / Math.Max(width, height));
        var (w, h) = (Math.Max(1, (int)Math.Round(width * scale)), Math.Max(1, (int)Math.Round(height * scale)));
        var png = Encode(decoded, w, h);
        return new PreparedImage(png, w, h, Convert.ToHexStringLower(SHA256.HashData(png)));
    }

    private static byte[] Encode(SKBitmap source, int width, int height)
    {
        // An opaque RGB surface: the PNG encoder then writes colour type 2 (RGB), and alpha is composited over white.
        var info = new SKImageInfo(width, height, SKColorType.Rgb888x, SKAlphaType.Opaque);
        using var target = new SKBitmap(info);
        using (var canvas = new SKCanvas(target))
        {
            canvas.Clear(SKColors.White);
            using var image = SKImage.FromBitmap(source);
            var sampling = width == source.Width && height == source.Height
                ? new SKSamplingOptions(SKFilterMode.Nearest)
                : new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear); // mipmaps avoid aliasing on large downscales
            canvas.DrawImage(image, new SKRect(0, 0, width, height), sampling);
        }
        using var encoded = target.Encode(SKEncodedImageFormat.Png, 100);
        return encoded.ToArray();
    }
}
