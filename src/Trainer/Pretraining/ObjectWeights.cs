using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Trainer.Pretraining;

/// <summary>
/// Per-pixel loss weights that emphasise a scene's objects: 1 on the background, 1 + λ inside each
/// object's circumscribed disk (where ShapesWorld draws it). At 32 px a captioned object covers 2–8% of
/// the pixels, so with a plain loss the background's texture outweighs every colour and place the caption
/// names; the disks come from the scene's layout, so no extra render is needed.
/// </summary>
public static class ObjectWeights
{
    /// <summary>The weight map of <paramref name="scene"/> at <paramref name="size"/>² pixels, row-major.</summary>
    /// <param name="scene">The scene whose objects are emphasised (the sign is not: captions do not name it).</param>
    /// <param name="size">Image side in pixels.</param>
    /// <param name="objectWeight">λ ≥ 0, the extra weight of an object pixel; 0 gives all ones.</param>
    public static float[] Map(Scene scene, int size, double objectWeight)
    {
        ArgumentNullException.ThrowIfNull(scene);
        ArgumentOutOfRangeException.ThrowIfNegative(objectWeight);
        var map = new float[size * size];
        Array.Fill(map, 1f);
        foreach (var o in scene.Objects)
        {
            var (cx, cy) = SceneLayout.ObjectCenter(o);
            // Shapes fit their circumradius r; an outline ring reaches max(0.7 px, 0.1·r) beyond it and
            // anti-aliasing half a pixel more, so 1.1·r + 1.2 px holds every pixel the painter touches.
            var radius = 1.1 * SceneLayout.Radius(o.Size) * size + 1.2;
            var (x0, y0) = (cx * size, cy * size);
            for (var y = Math.Max(0, (int)(y0 - radius)); y <= Math.Min(size - 1, (int)(y0 + radius)); y++)
            for (var x = Math.Max(0, (int)(x0 - radius)); x <= Math.Min(size - 1, (int)(x0 + radius)); x++)
            {
                var (dx, dy) = (x + 0.5 - x0, y + 0.5 - y0);
                if (dx * dx + dy * dy <= radius * radius)
                    map[y * size + x] = (float)(1 + objectWeight);
            }
        }
        return map;
    }
}
