using System.Text.RegularExpressions;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Trainer.Pretraining;

/// <summary>
/// Rewrites a ShapesWorld caption written in prose (the dataset's c^x: "A pixel art showing a medium green diamond in
/// the center. Behind it is wooden planks.") into the compact form G_init was trained on ("green diamond center,
/// wood", <see cref="CompactCaption"/>), from the caption's words alone. The DMD teacher and A_φ are copies of
/// G_init; prompted with prose they see a caption unlike any of their training and, at the 24-token limit, one cut
/// before its background, so their x̂0 is not the scene the caption describes (bench/RESULTS.md, DMD section).
/// The render style is kept only when asked: the e001 G_init saw flat scenes only, so its style words are untrained
/// tokens, while a G_init trained on every style (e002) reads a caption without one as a flat scene.
/// </summary>
public static class CompactCaptionRewriter
{
    private static readonly (string Phrase, string Compact)[] Backgrounds =
        Enum.GetValues<BackgroundKind>()
            .SelectMany(kind => kind is BackgroundKind.Plain or BackgroundKind.Gradient
                ? Enum.GetValues<NamedColor>().Select(tint => new Background(kind, tint))
                : [new Background(kind, NamedColor.White)])
            .Select(b => (Vocabulary.BackgroundPhrase(b), CompactCaption.Background(b)))
            .ToArray();

    private static readonly Regex ObjectPattern = new(
        $@"\b(?:(?:{Alternatives(Enum.GetValues<SizeClass>().Select(Vocabulary.Size))})\s+)?" +
        $@"(?:(?<pattern>{Alternatives(Enum.GetValues<Pattern>().Select(Vocabulary.PatternAdjective).Where(p => p.Length > 0))})\s+)?" +
        $@"(?<color>{Alternatives(Enum.GetValues<NamedColor>().Select(Vocabulary.Color))})\s+" +
        $@"(?<shape>{Alternatives(Enum.GetValues<ShapeKind>().Select(Vocabulary.Shape))})\b" +
        $@"(?:\s+(?<cell>{Alternatives(Enum.GetValues<GridCell>().Select(Vocabulary.CellPhrase))}))?",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly (string Phrase, string Compact)[] Styles =
        [.. Enum.GetValues<RenderStyle>().Where(s => s != RenderStyle.Flat).Select(s => (Vocabulary.StylePhrase(s), CompactCaption.Style(s)))];

    /// <summary>
    /// "[pattern] colour shape cell" for every object the caption names, in order, then its background and, with
    /// <paramref name="keepStyle"/>, the non-flat render style it names (as <see cref="CompactCaption"/> writes them);
    /// a caption with neither objects nor background (not a ShapesWorld description) comes back unchanged.
    /// </summary>
    public static string Rewrite(string caption, bool keepStyle = false)
    {
        ArgumentNullException.ThrowIfNull(caption);
        var parts = ObjectPattern.Matches(caption).Select(ObjectPart).ToList();
        var background = Backgrounds
            .Select(b => (b.Compact, At: caption.LastIndexOf(b.Phrase, StringComparison.OrdinalIgnoreCase)))
            .Where(b => b.At >= 0)
            .OrderByDescending(b => b.At)
            .Select(b => b.Compact)
            .FirstOrDefault();
        if (background is not null)
            parts.Add(background);
        if (parts.Count == 0)
            return caption;
        var style = Styles.FirstOrDefault(s => caption.Contains(s.Phrase, StringComparison.OrdinalIgnoreCase)).Compact;
        if (keepStyle && style is not null)
            parts.Add(style);
        return string.Join(", ", parts);
    }

    private static string ObjectPart(Match m)
    {
        var words = new[] { m.Groups["pattern"].Value, m.Groups["color"].Value, m.Groups["shape"].Value };
        var cell = Enum.GetValues<GridCell>().Where(c => Vocabulary.CellPhrase(c).Equals(m.Groups["cell"].Value, StringComparison.OrdinalIgnoreCase))
            .Select(Vocabulary.CellName).FirstOrDefault();
        return string.Join(' ', words.Append(cell).Where(w => !string.IsNullOrEmpty(w))).ToLowerInvariant();
    }

    private static string Alternatives(IEnumerable<string> words) =>
        string.Join('|', words.OrderByDescending(w => w.Length).Select(Regex.Escape));
}
