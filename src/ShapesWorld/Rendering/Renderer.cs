using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Rendering;

/// <summary>
/// Renders a <see cref="Scene"/> to 8-bit RGB (row-major, 3 bytes per pixel). Single-threaded float math in a fixed
/// order with no libm calls, so the bytes are identical for the same scene and size on every machine.
/// </summary>
public static class Renderer
{
    public const int MinSize = 8;
    public const int MaxSize = 4096;

    public static byte[] Render(Scene scene, int width, int height)
    {
        var rgb = new byte[width * height * 3];
        Render(scene, width, height, rgb);
        return rgb;
    }

    public static byte[] Render(Scene scene, int size) => Render(scene, size, size);

    /// <summary>Renders into a caller-owned buffer of exactly width × height × 3 bytes.</summary>
    public static void Render(Scene scene, int width, int height, Span<byte> rgb)
    {
        ArgumentNullException.ThrowIfNull(scene);
        CheckSize(width, height);
        if (rgb.Length != width * height * 3)
            throw new ArgumentException($"The buffer holds {rgb.Length} bytes; a {width}×{height} RGB image needs {width * height * 3}.", nameof(rgb));

        int block = PixelBlock(scene.Style, width, height);
        var canvas = NewCanvas(width, height, block);
        PaintUnderObjects(canvas, scene);
        foreach (var o in scene.Objects) ObjectPainter.Paint(canvas, o, scene.Style);
        canvas.WriteRgb(rgb, width, height, block);
    }

    internal static void CheckSize(int width, int height)
    {
        if (width < MinSize || height < MinSize || width > MaxSize || height > MaxSize)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size {width}×{height} is outside {MinSize}…{MaxSize} pixels per side.");
    }

    /// <summary>Pixel art: draw a ~32-pixel image (16 at the smallest sizes) and enlarge it with hard edges.</summary>
    internal static int PixelBlock(RenderStyle style, int width, int height) =>
        style == RenderStyle.Pixelated ? Math.Max(2, Math.Min(width, height) / 32) : 1;

    internal static Canvas NewCanvas(int width, int height, int block) => new((width + block - 1) / block, (height + block - 1) / block);

    /// <summary>What lies under every object: the background, then the sign.</summary>
    internal static void PaintUnderObjects(Canvas canvas, Scene scene)
    {
        BackgroundPainter.Paint(canvas, scene.Background, scene.Style);
        if (scene.Sign is not null) SignPainter.Paint(canvas, scene.Sign);
    }

    /// <summary>Renders and encodes as PNG.</summary>
    public static byte[] RenderPng(Scene scene, int size) => PngCodec.Encode(Render(scene, size), size, size);
}
