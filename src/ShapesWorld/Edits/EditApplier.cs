using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>
/// The ground-truth semantics of every edit: source scene + spec → target scene, changing exactly what the
/// spec names and nothing else. An edit is invalid, as App. D defines it, when it names an absent object,
/// cannot be carried out cleanly, or would leave the image unchanged.
/// </summary>
public static class EditApplier
{
    public static EditOutcome Apply(Scene source, EditSpec spec)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(spec);
        return spec switch
        {
            RecolorEdit e => Modify(source, e.Object, o => o with { Color = e.NewColor }, $"it turns the {e.Object.Name} {Vocabulary.Color(e.NewColor)}"),
            RetextureEdit e => Modify(source, e.Object, o => o with { Pattern = e.NewPattern }, $"it gives the {e.Object.Name} {Vocabulary.PatternNoun(e.NewPattern)}"),
            ReshapeEdit e => Modify(source, e.Object, o => o with { Shape = e.NewShape }, $"it gives the {e.Object.Name} the shape of a {Vocabulary.Shape(e.NewShape)}"),
            ResizeEdit e => Modify(source, e.Object, o => o with { Size = e.NewSize }, $"it makes the {e.Object.Name} {Vocabulary.Size(e.NewSize)}"),
            ReplaceEdit e => Modify(source, e.Object, o => o with { Shape = e.NewShape, Color = e.NewColor, Pattern = e.NewPattern },
                $"it puts a {Vocabulary.Color(e.NewColor)} {Vocabulary.Shape(e.NewShape)} where the {e.Object.Name} is"),
            RotateEdit e => Modify(source, e.Object, o => o with { Rotation = Mod360(o.Rotation + e.ClockwiseDegrees) }, $"it turns the {e.Object.Name} by {e.ClockwiseDegrees} degrees"),
            FlipEdit e => Modify(source, e.Object, o => o with { Rotation = Mod360(180 - 2 * ShapeGeometry.MirrorAxisDegrees(o.Shape) - o.Rotation) }, $"it mirrors the {e.Object.Name}"),
            MoveEdit e => Move(source, e),
            AddEdit e => Add(source, e),
            RemoveEdit e => Remove(source, e),
            BackgroundEdit e => WholeScene(source, source with { Background = e.NewBackground.Normalized() }, $"it puts the shapes on {Vocabulary.BackgroundPhrase(e.NewBackground)}"),
            StyleEdit e => WholeScene(source, source with { Style = e.NewStyle }, $"it renders the picture as {Captions.Captioner.Article(Vocabulary.StylePhrase(e.NewStyle))}"),
            TextEdit e => Text(source, e),
            CustomizeEdit e => Customize(source, e),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), $"Unknown edit spec {spec.GetType().Name}."),
        };
    }

    /// <summary>True when two scenes render the same: rotations that the shape's symmetry absorbs are ignored.</summary>
    public static bool LooksSame(Scene a, Scene b) => Canonical(a).Equals(Canonical(b));

    /// <summary>The single prominent, centred object that customization needs (App. D's prominence check), or null.</summary>
    public static SceneObject? ProminentObject(Scene s) =>
        s.Objects.Count == 1 && s.Objects[0].Size != SizeClass.Small && s.Objects[0].Cell == GridCell.Center ? s.Objects[0] : null;

    private static EditOutcome Modify(Scene source, ObjectRef target, Func<SceneObject, SceneObject> change, string why)
    {
        int index = IndexOf(source, target);
        if (index < 0) return Absent(target);
        var edited = change(source.Objects[index]);
        if (source.Objects.Where((_, i) => i != index).Any(o => o.Name == edited.Name))
            return EditOutcome.Invalid($"the result would show two {edited.Name}s, so the instruction is ambiguous");
        var objects = source.Objects.ToArray();
        objects[index] = edited;
        return WholeScene(source, source with { Objects = objects }, why);
    }

    private static EditOutcome Move(Scene source, MoveEdit e)
    {
        int index = IndexOf(source, e.Object);
        if (index < 0) return Absent(e.Object);
        var o = source.Objects[index];
        if (o.Cell == e.NewCell)
            return EditOutcome.Invalid($"the {e.Object.Name} is already {Vocabulary.CellPhrase(e.NewCell)}, so the image would not change in a meaningful way");
        if (source.OccupiedCells.Contains(e.NewCell))
            return EditOutcome.Invalid($"the {Vocabulary.CellName(e.NewCell)} of the image is already taken by another object");
        return Modify(source, e.Object, x => x with { Cell = e.NewCell, JitterX = 0, JitterY = 0 },
            $"it moves the {e.Object.Name} {Vocabulary.CellPhrase(e.NewCell).Replace("in the ", "to the ").Replace("at the ", "to the ").Replace("on the ", "to the ")}");
    }

    private static EditOutcome Add(Scene source, AddEdit e)
    {
        if (e.Cell is not { } cell)
            return EditOutcome.Invalid("it uses a vague placement instead of an exact location for the new object");
        if (source.Objects.Count >= Scene.MaxObjects)
            return EditOutcome.Invalid("the image is already crowded with shapes and has no free place");
        if (source.OccupiedCells.Contains(cell))
            return EditOutcome.Invalid($"the {Vocabulary.CellName(cell)} of the image is already taken by another object");
        var added = new SceneObject(e.Shape, e.Color, SizeClass.Medium, e.Pattern, cell, 0, 0, 0);
        if (source.FindByName(added.Name) is not null)
            return EditOutcome.Invalid($"the image already has a {added.Name}, so the instruction is ambiguous");
        return WholeScene(source, source with { Objects = [.. source.Objects, added] }, $"it places a {added.Name} {Vocabulary.CellPhrase(cell)}");
    }

    private static EditOutcome Remove(Scene source, RemoveEdit e)
    {
        int index = IndexOf(source, e.Object);
        if (index < 0) return Absent(e.Object);
        if (source.Objects.Count == 1)
            return EditOutcome.Invalid("it removes the only object in the image");
        return WholeScene(source, source with { Objects = source.Objects.Where((_, i) => i != index).ToArray() }, $"it takes the {e.Object.Name} out of the picture");
    }

    private static EditOutcome Text(Scene source, TextEdit e)
    {
        if (source.Sign is null) return EditOutcome.Invalid("it mentions a sign with text that is not present in the image");
        if (!TextSign.Alphabet.Contains(e.NewCharacter))
            return EditOutcome.Invalid($"the sign can only show a single letter or digit, not \"{e.NewCharacter}\"");
        return WholeScene(source, source with { Sign = source.Sign with { Character = e.NewCharacter } }, $"the sign shows {Captions.Captioner.CharacterPhrase(e.NewCharacter)}");
    }

    private static EditOutcome Customize(Scene source, CustomizeEdit e)
    {
        var main = ProminentObject(source);
        if (main is null || !e.Object.Matches(main))
            return EditOutcome.Invalid("the image has no single prominent object near the center");
        var moved = main with { Cell = e.NewCell, Size = e.NewSize, Rotation = Mod360(e.NewRotation), JitterX = 0, JitterY = 0 };
        if (e.NewBackground.Normalized() == source.Background.Normalized())
            return EditOutcome.Invalid("the new setting is the same as the current background");
        int order = ShapeGeometry.SymmetryOrder(main.Shape);
        bool sameRotation = order == 0 || (moved.Rotation - main.Rotation) % (360 / order) == 0;
        if (moved.Cell == main.Cell && moved.Size == main.Size && sameRotation)
            return EditOutcome.Invalid("the pose of the object would stay the same");
        var target = new Scene(e.NewBackground.Normalized(), [moved], null, source.Style);
        return EditOutcome.Valid(target, $"it shows the {main.Name} in a different setting and pose");
    }

    private static EditOutcome WholeScene(Scene source, Scene target, string why) =>
        LooksSame(source, target) ? EditOutcome.Invalid("it does not change the image in any meaningful way") : EditOutcome.Valid(target, why);

    private static EditOutcome Absent(ObjectRef o) => EditOutcome.Invalid($"it mentions a {o.Name} that is not present in the image");

    private static int IndexOf(Scene s, ObjectRef target)
    {
        for (int i = 0; i < s.Objects.Count; i++) if (target.Matches(s.Objects[i])) return i;
        return -1;
    }

    private static int Mod360(int degrees) => ((degrees % 360) + 360) % 360;

    private static Scene Canonical(Scene s) => s with
    {
        Objects = s.Objects.Select(o =>
        {
            int order = ShapeGeometry.SymmetryOrder(o.Shape);
            return o with { Rotation = order == 0 ? 0 : o.Rotation % (360 / order) };
        }).ToArray(),
    };
}
