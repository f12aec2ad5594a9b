using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Rendering;

/// <summary>
/// Renders one scene many times with one object replaced, for analysis by synthesis. The background, the sign and the
/// objects painted before the replaced one are painted once; each variant then paints only its object and the objects
/// after it, in the scene's order, so every variant's bytes are exactly those of <see cref="Renderer.Render(Scene, int, int)"/>
/// for the scene with that object.
/// </summary>
public sealed class ObjectVariantRenderer
{
    readonly Scene scene;
    readonly int index, width, height, block;
    readonly Canvas under, work;

    public ObjectVariantRenderer(Scene scene, int index, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(scene);
        if ((uint)index >= (uint)scene.Objects.Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"The scene has {scene.Objects.Count} objects; there is no object {index} to replace.");
        Renderer.CheckSize(width, height);
        this.scene = scene;
        this.index = index;
        this.width = width;
        this.height = height;
        block = Renderer.PixelBlock(scene.Style, width, height);
        under = Renderer.NewCanvas(width, height, block);
        Renderer.PaintUnderObjects(under, scene);
        for (int k = 0; k < index; k++) ObjectPainter.Paint(under, scene.Objects[k], scene.Style);
        work = Renderer.NewCanvas(width, height, block);
    }

    /// <summary>The scene with its object replaced by <paramref name="replacement"/>, into a buffer of width × height × 3 bytes.</summary>
    public void Render(SceneObject replacement, Span<byte> rgb)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        if (rgb.Length != width * height * 3)
            throw new ArgumentException($"The buffer holds {rgb.Length} bytes; a {width}×{height} RGB image needs {width * height * 3}.", nameof(rgb));
        under.Data.CopyTo(work.Data, 0);
        ObjectPainter.Paint(work, replacement, scene.Style);
        for (int k = index + 1; k < scene.Objects.Count; k++) ObjectPainter.Paint(work, scene.Objects[k], scene.Style);
        work.WriteRgb(rgb, width, height, block);
    }
}
