using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Trainer.Pretraining;

/// <summary>
/// A caption that names every object with its colour and cell in a few words, in ShapesWorld's own
/// vocabulary: "striped red star top left, blue circle center, grass". The corpus's detailed captions
/// run to 40+ words and lose all but the first object at a 16–24 token limit, so a small text encoder
/// never sees most colour–position bindings; this form keeps them all.
/// </summary>
public static class CompactCaption
{
    /// <summary>The compact caption of <paramref name="scene"/>.</summary>
    public static string Describe(Scene scene)
    {
        ArgumentNullException.ThrowIfNull(scene);
        var parts = scene.Objects.Select(Object).ToList();
        parts.Add(Background(scene.Background));
        if (scene.Style != RenderStyle.Flat)
            parts.Add(Style(scene.Style));
        return string.Join(", ", parts);
    }

    /// <summary>"[pattern] colour shape cell", e.g. "striped red star top left".</summary>
    public static string Object(SceneObject o)
    {
        var pattern = Vocabulary.PatternAdjective(o.Pattern);
        return $"{(pattern.Length > 0 ? pattern + " " : "")}{Vocabulary.Color(o.Color)} {Vocabulary.Shape(o.Shape)} {Vocabulary.CellName(o.Cell)}";
    }

    /// <summary>"plain red", "blue gradient", "grass".</summary>
    internal static string Background(Background b) => b.Kind switch
    {
        BackgroundKind.Plain => $"plain {Vocabulary.Color(b.Tint)}",
        BackgroundKind.Gradient => $"{Vocabulary.Color(b.Tint)} gradient",
        _ => b.Kind.ToString().ToLowerInvariant(),
    };

    /// <summary>The compact name of a non-flat style: "sketch", "pixel art", "neon glow" ("" for flat).</summary>
    internal static string Style(RenderStyle s) => s switch
    {
        RenderStyle.Sketch => "sketch",
        RenderStyle.Pixelated => "pixel art",
        RenderStyle.Glow => "neon glow",
        _ => "",
    };
}
