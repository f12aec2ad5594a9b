using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Rendering;

/// <summary>Where things go in normalised image coordinates (0…1, y down): cell centres and object radii.</summary>
public static class SceneLayout
{
    /// <summary>Half the extent of a sign board, as a fraction of the shorter image side.</summary>
    public const float SignHalfSize = 0.105f;

    public static (float X, float Y) CellCenter(GridCell cell)
    {
        int i = (int)cell;
        return ((i % 3 + 0.5f) / 3f, (i / 3 + 0.5f) / 3f);
    }

    /// <summary>Centre of an object: its cell centre moved by the jitter (percent of the cell size), kept inside the frame.</summary>
    public static (float X, float Y) ObjectCenter(SceneObject o)
    {
        var (x, y) = CellCenter(o.Cell);
        float margin = Radius(o.Size) + 0.01f;
        return (Math.Clamp(x + o.JitterX / 300f, margin, 1f - margin), Math.Clamp(y + o.JitterY / 300f, margin, 1f - margin));
    }

    /// <summary>Circumradius of an object as a fraction of the shorter image side.</summary>
    public static float Radius(SizeClass size) => size switch
    {
        SizeClass.Small => 0.085f,
        SizeClass.Medium => 0.12f,
        SizeClass.Large => 0.155f,
        _ => throw new ArgumentOutOfRangeException(nameof(size)),
    };
}
