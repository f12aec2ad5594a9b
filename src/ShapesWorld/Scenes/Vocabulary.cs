namespace NpEdit.ShapesWorld.Scenes;

/// <summary>
/// The words ShapesWorld uses for every scene attribute. Captions, instructions and the annotator's
/// instruction parser all read this one table, so a phrase written by one is understood by the other.
/// </summary>
public static class Vocabulary
{
    public static string Color(NamedColor c) => c.ToString().ToLowerInvariant();

    public static string Shape(ShapeKind s) => s.ToString().ToLowerInvariant();

    public static string Size(SizeClass s) => s.ToString().ToLowerInvariant();

    /// <summary>Adjective for a pattern, or "" for solid (captions say "a red circle", not "a solid red circle").</summary>
    public static string PatternAdjective(Pattern p) => p switch
    {
        Pattern.Solid => "",
        Pattern.Striped => "striped",
        Pattern.Dotted => "polka-dot",
        Pattern.Checkered => "checkered",
        Pattern.Outlined => "outlined",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>Noun phrase for a pattern as an instruction would ask for it.</summary>
    public static string PatternNoun(Pattern p) => p switch
    {
        Pattern.Solid => "a solid fill",
        Pattern.Striped => "stripes",
        Pattern.Dotted => "polka dots",
        Pattern.Checkered => "a checkered pattern",
        Pattern.Outlined => "an outline-only look",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    /// <summary>Where a cell is, as a preposition phrase: "in the top left corner".</summary>
    public static string CellPhrase(GridCell cell) => cell switch
    {
        GridCell.TopLeft => "in the top left corner",
        GridCell.TopCenter => "at the top center",
        GridCell.TopRight => "in the top right corner",
        GridCell.MiddleLeft => "on the middle left",
        GridCell.Center => "in the center",
        GridCell.MiddleRight => "on the middle right",
        GridCell.BottomLeft => "in the bottom left corner",
        GridCell.BottomCenter => "at the bottom center",
        GridCell.BottomRight => "in the bottom right corner",
        _ => throw new ArgumentOutOfRangeException(nameof(cell)),
    };

    /// <summary>The bare cell name used for parsing and compact captions: "top left".</summary>
    public static string CellName(GridCell cell) => cell switch
    {
        GridCell.TopLeft => "top left",
        GridCell.TopCenter => "top center",
        GridCell.TopRight => "top right",
        GridCell.MiddleLeft => "middle left",
        GridCell.Center => "center",
        GridCell.MiddleRight => "middle right",
        GridCell.BottomLeft => "bottom left",
        GridCell.BottomCenter => "bottom center",
        GridCell.BottomRight => "bottom right",
        _ => throw new ArgumentOutOfRangeException(nameof(cell)),
    };

    /// <summary>A noun phrase for the background: "a red brick wall", "a pale blue backdrop".</summary>
    public static string BackgroundPhrase(Background b) => b.Kind switch
    {
        BackgroundKind.Plain => $"a plain pale {Color(b.Tint)} backdrop",
        BackgroundKind.Gradient => $"a soft {Color(b.Tint)}-to-white gradient",
        BackgroundKind.Grass => "a grassy meadow",
        BackgroundKind.Sky => "a blue sky with clouds",
        BackgroundKind.Brick => "a red brick wall",
        BackgroundKind.Wood => "wooden planks",
        BackgroundKind.Water => "rippling blue water",
        BackgroundKind.Night => "a starry night sky",
        _ => throw new ArgumentOutOfRangeException(nameof(b)),
    };

    /// <summary>A longer, factual setting description in the manner of the App. D background suggestions.</summary>
    public static string BackgroundDescription(Background b) => b.Kind switch
    {
        BackgroundKind.Plain => $"in front of a plain pale {Color(b.Tint)} backdrop with even lighting and no other details.",
        BackgroundKind.Gradient => $"against a smooth {Color(b.Tint)}-to-white gradient that fades from the top edge to the bottom edge.",
        BackgroundKind.Grass => "resting on a grassy meadow with short green blades covering the ground from edge to edge.",
        BackgroundKind.Sky => "floating in a blue sky with a few soft white clouds drifting across it.",
        BackgroundKind.Brick => "placed in front of a red brick wall with pale mortar lines between the rows of bricks.",
        BackgroundKind.Wood => "lying on wooden planks with visible grain running across the boards.",
        BackgroundKind.Water => "floating on rippling blue water with light reflections on the surface.",
        BackgroundKind.Night => "set against a dark night sky scattered with small bright points of light.",
        _ => throw new ArgumentOutOfRangeException(nameof(b)),
    };

    public static string StylePhrase(RenderStyle s) => s switch
    {
        RenderStyle.Flat => "flat vector illustration",
        RenderStyle.Sketch => "pencil sketch",
        RenderStyle.Pixelated => "pixel art",
        RenderStyle.Glow => "neon glow artwork",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    /// <summary>Longest-first keyword lists used by the instruction parser; each maps a surface word to a value.</summary>
    public static IReadOnlyList<(string Word, NamedColor Value)> ColorWords { get; } =
        Enum.GetValues<NamedColor>().Select(c => (Color(c), c)).Append(("grey", NamedColor.Gray)).ToArray();

    public static IReadOnlyList<(string Word, ShapeKind Value)> ShapeWords { get; } =
        Enum.GetValues<ShapeKind>().Select(s => (Shape(s), s)).ToArray();

    public static IReadOnlyList<(string Word, Pattern Value)> PatternWords { get; } =
    [
        ("solid", Pattern.Solid), ("stripe", Pattern.Striped), ("polka", Pattern.Dotted), ("dot", Pattern.Dotted),
        ("checker", Pattern.Checkered), ("outline", Pattern.Outlined),
    ];

    public static IReadOnlyList<(string Word, GridCell Value)> CellWords { get; } =
        Enum.GetValues<GridCell>().Select(c => (CellName(c), c))
            .Concat([("top middle", GridCell.TopCenter), ("bottom middle", GridCell.BottomCenter), ("middle", GridCell.Center)])
            .OrderByDescending(p => p.Item1.Length).ToArray();

    public static IReadOnlyList<(string Word, BackgroundKind Value)> BackgroundWords { get; } =
    [
        ("plain", BackgroundKind.Plain), ("gradient", BackgroundKind.Gradient), ("grass", BackgroundKind.Grass),
        ("meadow", BackgroundKind.Grass), ("cloud", BackgroundKind.Sky), ("brick", BackgroundKind.Brick),
        ("wood", BackgroundKind.Wood), ("plank", BackgroundKind.Wood), ("water", BackgroundKind.Water),
        ("night", BackgroundKind.Night), ("star", BackgroundKind.Night), ("sky", BackgroundKind.Sky),
    ];

    public static IReadOnlyList<(string Word, RenderStyle Value)> StyleWords { get; } =
    [
        ("flat", RenderStyle.Flat), ("vector", RenderStyle.Flat), ("sketch", RenderStyle.Sketch), ("pencil", RenderStyle.Sketch),
        ("pixel", RenderStyle.Pixelated), ("neon", RenderStyle.Glow), ("glow", RenderStyle.Glow),
    ];
}
