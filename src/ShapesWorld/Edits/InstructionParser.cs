using System.Text.RegularExpressions;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>
/// Reads a free-text ShapesWorld instruction back into an <see cref="EditSpec"/>, so the annotator can judge
/// instructions it did not write itself (the DatasetBuilder sends them as text). Keyword-based: objects are
/// "colour shape" mentions, the first mention is the object acted on. Returns null when it cannot understand,
/// which the annotator reports as "too hard" (App. D rule 2).
/// </summary>
public static partial class InstructionParser
{
    private static readonly char[] NonLetters = [' ', '-', ',', '.', '"'];
    private static readonly string[] VagueWords = ["near", "beside", "next", "around", "under", "by", "close"];
    private static readonly Dictionary<string, Pattern> PatternAdjectives = new()
    {
        ["striped"] = Pattern.Striped, ["polka-dot"] = Pattern.Dotted, ["dotted"] = Pattern.Dotted,
        ["checkered"] = Pattern.Checkered, ["outlined"] = Pattern.Outlined, ["solid"] = Pattern.Solid,
    };

    private sealed record Mention(ObjectRef Object, Pattern? Pattern, int Start, int End);

    public static EditSpec? Parse(EditType type, string instruction, Scene source)
    {
        string text = instruction.Trim().ToLowerInvariant();
        var tokens = WordPattern().Matches(text).Select(m => m.Value).ToArray();
        var mentions = FindMentions(tokens);
        var first = mentions.FirstOrDefault();
        string After(Mention m) => string.Join(' ', tokens.Skip(m.End));

        switch (type)
        {
            case EditType.Color:
                if (first is null) return null;
                var color = FirstColor(tokens.Skip(first.End));
                return color is null ? null : new RecolorEdit(first.Object, color.Value);
            case EditType.Texture:
                if (first is null) return null;
                var pattern = FirstKeyword(After(first), Vocabulary.PatternWords);
                return pattern is null ? null : new RetextureEdit(first.Object, pattern.Value);
            case EditType.Adjust:
                if (first is null) return null;
                var rest = tokens.Skip(first.End).ToArray();
                var shape = rest.Select(ShapeOf).FirstOrDefault(s => s is not null);
                if (shape is not null) return new ReshapeEdit(first.Object, shape.Value);
                var size = rest.Select(t => Enum.TryParse<SizeClass>(t, true, out var z) ? z : (SizeClass?)null).FirstOrDefault(z => z is not null);
                return size is null ? null : new ResizeEdit(first.Object, size.Value);
            case EditType.Add:
                if (first is null) return null;
                var anchor = mentions.Skip(1).FirstOrDefault()?.Object;
                if (tokens.Any(VagueWords.Contains)) return new AddEdit(first.Object.Shape, first.Object.Color, first.Pattern ?? Pattern.Solid, null, anchor);
                var cell = FirstKeyword(After(first), Vocabulary.CellWords);
                return cell is null ? null : new AddEdit(first.Object.Shape, first.Object.Color, first.Pattern ?? Pattern.Solid, cell);
            case EditType.Remove:
                return first is null ? null : new RemoveEdit(first.Object);
            case EditType.Replace:
                if (mentions.Count < 2) return null;
                var (old, fresh) = text.Contains("in place of") ? (mentions[1], mentions[0]) : (mentions[0], mentions[1]);
                return new ReplaceEdit(old.Object, fresh.Object.Shape, fresh.Object.Color, fresh.Pattern ?? Pattern.Solid);
            case EditType.Background:
                int at = text.IndexOf("background", StringComparison.Ordinal);
                string tail = at >= 0 ? text[(at + "background".Length)..] : text;
                var kind = FirstKeyword(tail, Vocabulary.BackgroundWords);
                if (kind is null) return null;
                var tint = FirstColor(tail.Split(NonLetters, StringSplitOptions.RemoveEmptyEntries)) ?? NamedColor.White;
                return new BackgroundEdit(new Background(kind.Value, tint).Normalized());
            case EditType.Style:
                var style = FirstKeyword(text, Vocabulary.StyleWords);
                return style is null ? null : new StyleEdit(style.Value);
            case EditType.Action:
                return first is null ? null : ParseAction(text, tokens, first);
            case EditType.Text:
                var quoted = QuotedCharacter().Matches(instruction).LastOrDefault();
                if (quoted is not null) return new TextEdit(char.ToUpperInvariant(quoted.Groups[1].Value[0]));
                var single = WordPattern().Matches(instruction).Select(m => m.Value).LastOrDefault(t => t.Length == 1 && char.IsLetterOrDigit(t[0]) && t != "a");
                return single is null ? null : new TextEdit(char.ToUpperInvariant(single[0]));
            default:
                return null;
        }
    }

    private static EditSpec? ParseAction(string text, string[] tokens, Mention first)
    {
        if (tokens.Contains("flip") || tokens.Contains("mirror")) return new FlipEdit(first.Object);
        if (tokens.Contains("move") || tokens.Contains("shift") || tokens.Contains("slide"))
        {
            var cell = FirstKeyword(string.Join(' ', tokens.Skip(first.End)), Vocabulary.CellWords);
            return cell is null ? null : new MoveEdit(first.Object, cell.Value);
        }
        if (text.Contains("upside down")) return new RotateEdit(first.Object, 180);
        var degrees = tokens.Select(t => int.TryParse(t, out var d) ? d : (int?)null).FirstOrDefault(d => d is not null);
        if (degrees is null || degrees.Value % 15 != 0) return null;
        bool counter = text.Contains("counterclockwise") || text.Contains("anticlockwise") || text.Contains("counter-clockwise") || text.Contains("to the left");
        return new RotateEdit(first.Object, ((counter ? -degrees.Value : degrees.Value) % 360 + 360) % 360);
    }

    private static List<Mention> FindMentions(string[] tokens)
    {
        var mentions = new List<Mention>();
        for (int i = 0; i < tokens.Length; i++)
        {
            if (ColorOf(tokens[i]) is not { } color) continue;
            int j = i + 1;
            Pattern? pattern = i > 0 && PatternAdjectives.TryGetValue(tokens[i - 1], out var before) ? before : null;
            while (j < tokens.Length && PatternAdjectives.TryGetValue(tokens[j], out var between)) { pattern = between; j++; }
            if (j < tokens.Length && ShapeOf(tokens[j]) is { } shape)
            {
                mentions.Add(new Mention(new ObjectRef(color, shape), pattern, i, j + 1));
                i = j;
            }
        }
        return mentions;
    }

    private static NamedColor? ColorOf(string token) =>
        Vocabulary.ColorWords.Where(w => w.Word == token).Select(w => (NamedColor?)w.Value).FirstOrDefault();

    private static ShapeKind? ShapeOf(string token) =>
        Vocabulary.ShapeWords.Where(w => w.Word == token || w.Word + "s" == token).Select(w => (ShapeKind?)w.Value).FirstOrDefault();

    private static NamedColor? FirstColor(IEnumerable<string> tokens) => tokens.Select(ColorOf).FirstOrDefault(c => c is not null);

    /// <summary>The value of the listed keyword that occurs earliest in <paramref name="text"/> (ties: list order).</summary>
    private static T? FirstKeyword<T>(string text, IReadOnlyList<(string Word, T Value)> words) where T : struct
    {
        int best = int.MaxValue;
        T? value = null;
        foreach (var (word, v) in words)
        {
            int at = text.IndexOf(word, StringComparison.Ordinal);
            if (at >= 0 && at < best) { best = at; value = v; }
        }
        return value;
    }

    [GeneratedRegex(@"[a-z0-9]+(?:-[a-z0-9]+)*", RegexOptions.IgnoreCase)]
    private static partial Regex WordPattern();

    [GeneratedRegex("[\"“']([A-Za-z0-9])[\"”']")]
    private static partial Regex QuotedCharacter();
}
