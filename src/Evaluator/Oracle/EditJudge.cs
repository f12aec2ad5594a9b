using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Judges a parsed output scene against the edit's source and true target, from <see cref="SceneFacts"/>:
/// <list type="bullet">
/// <item>Asked facts are those that differ between source and target, less what the instruction leaves open
/// (an added object's size and angle; the angle a replaced or reshaped object happens to show). Edit success needs all of them.</item>
/// <item>Preserved things: each source object the edit does not touch (all its facts), the sign, the background and
/// the style when the edit keeps them, and one entry for "cells empty before and after stay empty".</item>
/// <item>Customization (App. E.2) asks only for the new background with the same object (colour and shape) alone in it;
/// its pose is the generator's choice. Its preserved things are the style, the object's pattern and "nothing else in the picture".</item>
/// </list>
/// </summary>
public static class EditJudge
{
    public static EditJudgement Judge(Scene source, Scene target, EditSpec spec, Scene parsed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec is CustomizeEdit ? Customization(source, target, parsed) : Local(source, target, spec, parsed);
    }

    private static EditJudgement Local(Scene source, Scene target, EditSpec spec, Scene parsed)
    {
        var s = SceneFacts.Of(source);
        var t = SceneFacts.Of(target);
        var p = SceneFacts.Of(parsed);
        var open = OpenFacts(spec, target);
        var asked = s.Keys.Union(t.Keys).Where(k => Value(s, k) != Value(t, k) && !open.Contains(k)).ToArray();
        var missed = asked.Where(k => Value(p, k) != Value(t, k)).ToArray();

        var kept = new List<(string Name, bool Held)>();
        foreach (var o in source.Objects)
        {
            var keys = SceneFacts.KeysOf(s, o.Cell).ToArray();
            if (keys.Any(k => Value(t, k) != s[k])) continue;
            kept.Add(($"{o.Cell} object", keys.All(k => Value(p, k) == s[k])));
        }
        if (source.Sign is { } sign)
        {
            var keys = SceneFacts.KeysOf(s, sign.Cell).ToArray();
            if (keys.All(k => Value(t, k) == s[k])) kept.Add(($"{sign.Cell} sign", keys.All(k => Value(p, k) == s[k])));
        }
        foreach (var key in new[] { SceneFacts.Background, SceneFacts.Style })
            if (t[key] == s[key]) kept.Add((key, p[key] == s[key]));
        var stayEmpty = Enum.GetValues<GridCell>()
            .Where(c => s[SceneFacts.Key(c, "occupant")] == "empty" && t[SceneFacts.Key(c, "occupant")] == "empty").ToArray();
        if (stayEmpty.Length > 0) kept.Add(("empty cells", stayEmpty.All(c => p[SceneFacts.Key(c, "occupant")] == "empty")));

        return Result(asked.Length, missed, kept);
    }

    private static EditJudgement Customization(Scene source, Scene target, Scene parsed)
    {
        var wanted = target.Objects.Single();
        var facts = new List<(string Name, bool Held)>
        {
            (SceneFacts.Background, SceneFacts.Of(parsed)[SceneFacts.Background] == SceneFacts.Of(target)[SceneFacts.Background]),
            ("object", parsed.Objects.Any(o => o.Shape == wanted.Shape && o.Color == wanted.Color)),
        };
        var missed = facts.Where(f => !f.Held).Select(f => f.Name).ToArray();
        var kept = new List<(string Name, bool Held)>
        {
            (SceneFacts.Style, parsed.Style == source.Style),
            ("pattern", parsed.Objects.Any(o => o.Shape == wanted.Shape && o.Color == wanted.Color && o.Pattern == wanted.Pattern)),
            ("nothing else", parsed.Objects.Count == 1 && parsed.Sign is null),
        };
        return Result(facts.Count, missed, kept);
    }

    /// <summary>Target facts the instruction does not determine, so they count neither for nor against the edit.</summary>
    private static HashSet<string> OpenFacts(EditSpec spec, Scene target) => spec switch
    {
        AddEdit { Cell: { } cell } => [SceneFacts.Key(cell, "size"), SceneFacts.Key(cell, "rotation")],
        ReplaceEdit e => CellOf(target, e.NewColor, e.NewShape) is { } c ? [SceneFacts.Key(c, "rotation")] : [],
        ReshapeEdit e => CellOf(target, e.Object.Color, e.NewShape) is { } c ? [SceneFacts.Key(c, "rotation")] : [],
        _ => [],
    };

    private static GridCell? CellOf(Scene scene, NamedColor color, ShapeKind shape) =>
        scene.Objects.FirstOrDefault(o => o.Color == color && o.Shape == shape)?.Cell;

    private static string? Value(IReadOnlyDictionary<string, string> facts, string key) => facts.GetValueOrDefault(key);

    private static EditJudgement Result(int asked, IReadOnlyList<string> missed, List<(string Name, bool Held)> kept) => new(
        EditSuccess: missed.Count == 0 ? 1 : 0,
        EditFacts: asked == 0 ? 1 : (double)(asked - missed.Count) / asked,
        Preservation: kept.Count == 0 ? 1 : (double)kept.Count(k => k.Held) / kept.Count,
        MissedFacts: missed,
        ChangedByMistake: kept.Where(k => !k.Held).Select(k => k.Name).ToArray());
}
