using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Captions;

/// <summary>
/// Writes captions for a scene with the variety of real alt text (templates and word choices drawn from a seed).
/// Captions describe what is visible only: they never use instruction words (see <see cref="InstructionWords"/>),
/// so they can serve as the edited-image caption c^x that App. D asks for.
/// </summary>
public static class Captioner
{
    /// <summary>Words that belong to instructions, not to descriptions of an image (App. D: "DO NOT use instruction words").</summary>
    public static IReadOnlyList<string> InstructionWords { get; } =
    [
        "add", "added", "adding", "remove", "removed", "removing", "replace", "replaced", "replacing", "modify", "modified",
        "change", "changed", "changing", "edit", "edited", "now", "instead", "turn", "turned", "make", "made", "new",
        "longer", "transform", "transformed", "convert", "converted", "swap", "swapped", "delete", "deleted", "moved", "rotated", "flipped",
    ];

    public static SceneCaptions Describe(Scene scene, ulong seed)
    {
        var rng = SplitMix64.Derive(seed, 0xCA97);
        return new SceneCaptions(Short(scene, ref rng), Detailed(scene, ref rng), AltText(scene, ref rng));
    }

    /// <summary>True when <paramref name="text"/> contains an instruction word as a whole word.</summary>
    public static bool ContainsInstructionWord(string text) =>
        text.ToLowerInvariant().Split([' ', ',', '.', ';', ':', '"', '\'', '(', ')', '-', '!', '?'], StringSplitOptions.RemoveEmptyEntries)
            .Any(w => InstructionWords.Contains(w));

    private static string Short(Scene s, ref SplitMix64 rng)
    {
        string list = JoinList(s.Objects.Select(o => Article(ObjectPhrase(o, withSize: false))).ToList());
        string bg = Vocabulary.BackgroundPhrase(s.Background);
        return rng.Next(3) switch
        {
            0 => $"{Capitalize(list)} on {bg}.",
            1 => $"{Capitalize(bg)} with {list}.",
            _ => $"{Capitalize(list)} against {bg}{(s.Style == RenderStyle.Flat ? "" : $", {Article(Vocabulary.StylePhrase(s.Style))}")}.",
        };
    }

    private static string Detailed(Scene s, ref SplitMix64 rng)
    {
        var parts = s.Objects.Select(o => $"{Article(ObjectPhrase(o, withSize: true))} {Vocabulary.CellPhrase(o.Cell)}{Orientation(o)}").ToList();
        string opening = rng.Next(3) switch
        {
            0 => $"{Capitalize(Article(Vocabulary.StylePhrase(s.Style)))} showing",
            1 => $"{Capitalize(Article(Vocabulary.StylePhrase(s.Style)))} of",
            _ => $"In this {Vocabulary.StylePhrase(s.Style)} there is",
        };
        string text = $"{opening} {JoinList(parts)}.";
        if (s.Sign is not null)
            text += $" A small white sign {Vocabulary.CellPhrase(s.Sign.Cell)} shows {CharacterPhrase(s.Sign.Character)}.";
        text += rng.Next(2) == 0
            ? $" The background is {Vocabulary.BackgroundPhrase(s.Background)}."
            : $" Behind {(s.Objects.Count == 1 ? "it" : "them")} is {Vocabulary.BackgroundPhrase(s.Background)}.";
        return text;
    }

    private static string AltText(Scene s, ref SplitMix64 rng)
    {
        string count = s.Objects.Count switch { 1 => "One shape", 2 => "Two shapes", 3 => "Three shapes", 4 => "Four shapes", _ => "Five shapes" };
        string names = string.Join(", ", s.Objects.Select(o => ObjectPhrase(o, withSize: false)));
        string sign = s.Sign is null ? "" : $", plus a sign with {CharacterPhrase(s.Sign.Character)}";
        return rng.Next(3) switch
        {
            0 => $"{count}: {names}{sign}.",
            1 => $"{Capitalize(Vocabulary.StylePhrase(s.Style))}: {names} over {Vocabulary.BackgroundPhrase(s.Background)}{sign}.",
            _ => $"Simple shapes picture ({names}){sign}.",
        };
    }

    /// <summary>"large striped red star" / "red star".</summary>
    public static string ObjectPhrase(SceneObject o, bool withSize)
    {
        var words = new List<string>(4);
        if (withSize) words.Add(Vocabulary.Size(o.Size));
        string pattern = Vocabulary.PatternAdjective(o.Pattern);
        if (pattern.Length > 0) words.Add(pattern);
        words.Add(Vocabulary.Color(o.Color));
        words.Add(Vocabulary.Shape(o.Shape));
        return string.Join(' ', words);
    }

    public static string CharacterPhrase(char c) => char.IsDigit(c) ? $"the number {c}" : $"the letter {c}";

    private static string Orientation(SceneObject o) => o.Shape switch
    {
        ShapeKind.Arrow => $" pointing {Direction(o.Rotation)}",
        ShapeKind.Crescent => $" opening to the {Direction(o.Rotation)}",
        ShapeKind.Heart when o.Rotation == 180 => " upside down",
        _ => o.Rotation != 0 && Rendering.ShapeGeometry.SymmetryOrder(o.Shape) != 0 && o.Rotation % (360 / Rendering.ShapeGeometry.SymmetryOrder(o.Shape)) != 0 ? ", tilted" : "",
    };

    private static string Direction(int rotation) => ((rotation + 22) % 360 / 45) switch
    {
        0 => "right",
        1 => "down and right",
        2 => "down",
        3 => "down and left",
        4 => "left",
        5 => "up and left",
        6 => "up",
        _ => "up and right",
    };

    public static string Article(string phrase) => ("aeiou".Contains(phrase[0]) ? "an " : "a ") + phrase;

    private static string Capitalize(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    private static string JoinList(IReadOnlyList<string> items) => items.Count switch
    {
        1 => items[0],
        2 => $"{items[0]} and {items[1]}",
        _ => string.Join(", ", items.Take(items.Count - 1)) + ", and " + items[^1],
    };
}
