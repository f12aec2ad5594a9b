using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Trainer.Pretraining;

/// <summary>The closed word list of the ShapesWorld text encoder.</summary>
public static class ShapesVocabulary
{
    /// <summary>
    /// ShapesWorld's attribute words (colours, shapes, sizes, patterns, cells, backgrounds, styles), so any
    /// prompt about a ShapesWorld attribute is in vocabulary even if the training captions never used it,
    /// plus every word of <paramref name="captions"/>.
    /// </summary>
    public static IReadOnlyList<string> Words(IEnumerable<string> captions)
    {
        var words = new List<string>();
        words.AddRange(Enum.GetValues<NamedColor>().Select(Vocabulary.Color));
        words.AddRange(Enum.GetValues<ShapeKind>().Select(Vocabulary.Shape));
        words.AddRange(Enum.GetValues<SizeClass>().Select(Vocabulary.Size));
        words.AddRange(Enum.GetValues<Pattern>().Select(Vocabulary.PatternAdjective));
        words.AddRange(Enum.GetValues<GridCell>().Select(Vocabulary.CellName));
        words.AddRange(Enum.GetValues<BackgroundKind>().Select(k => k.ToString()));
        words.AddRange(Enum.GetValues<RenderStyle>().Select(Vocabulary.StylePhrase));
        words.AddRange(["gradient", "plain", "sketch", "pixel", "art", "neon", "glow", "low", "quality", "artifacts"]);
        words.AddRange(captions);
        return words;
    }
}
