using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>An 8-bit RGB image, row-major, 3 bytes per pixel: the form ShapesWorld renders and the oracle reads.</summary>
public sealed record RgbImage(byte[] Pixels, int Width, int Height)
{
    public static RgbImage Render(Scene scene, int size) => new(Renderer.Render(scene, size), size, size);

    /// <summary>Decodes a PNG file; the message names the file when it cannot be read.</summary>
    public static RgbImage ReadPng(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Image {path} not found.", path);
        try
        {
            var (rgb, width, height) = PngCodec.Decode(File.ReadAllBytes(path));
            return new RgbImage(rgb, width, height);
        }
        catch (FormatException e)
        {
            throw new FormatException($"{path} is not a PNG this platform reads (8-bit grey, RGB or RGBA): {e.Message}", e);
        }
    }

    public void Validate()
    {
        if (Width <= 0 || Height <= 0 || Pixels.Length != Width * Height * 3)
            throw new ArgumentException($"An RGB image of {Width}×{Height} needs {Math.Max(0, Width * Height * 3)} bytes; got {Pixels.Length}.");
    }
}
