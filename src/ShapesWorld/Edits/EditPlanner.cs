using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>
/// Chooses a concrete edit of a given type for a scene. Asked for a valid edit it picks values that change the
/// image; asked for an invalid one it names an absent object, repeats the current value or uses a vague placement.
/// Whether the result is valid is always decided by <see cref="EditApplier"/>, never by the plan's intent.
/// </summary>
internal static class EditPlanner
{
    public static EditSpec Plan(Scene s, EditType type, ref SplitMix64 rng, bool invalid) =>
        invalid ? PlanInvalid(s, type, ref rng) : PlanValid(s, type, ref rng);

    private static EditSpec PlanValid(Scene s, EditType type, ref SplitMix64 rng)
    {
        var o = rng.Pick(s.Objects);
        var r = ObjectRef.Of(o);
        switch (type)
        {
            case EditType.Color:
                return new RecolorEdit(r, PickOther(ref rng, Enum.GetValues<NamedColor>().Where(c => c != o.Color && !Palette.Clashes(s.Background, c) && s.FindByName(new ObjectRef(c, o.Shape).Name) is null), o.Color));
            case EditType.Texture:
                return new RetextureEdit(r, PickOther(ref rng, Enum.GetValues<Pattern>().Where(p => p != o.Pattern), o.Pattern));
            case EditType.Adjust:
                if (rng.Chance(0.5))
                    return new ResizeEdit(r, PickOther(ref rng, Enum.GetValues<SizeClass>().Where(z => z != o.Size), o.Size));
                return new ReshapeEdit(r, PickOther(ref rng, Enum.GetValues<ShapeKind>().Where(k => k != o.Shape && s.FindByName(new ObjectRef(o.Color, k).Name) is null), o.Shape));
            case EditType.Add:
            {
                var free = FreeCells(s);
                var cell = free.Length > 0 ? rng.Pick(free) : GridCell.Center;
                var fresh = SceneSampler.SampleObject(ref rng, s.Background, cell, s.Objects);
                return new AddEdit(fresh.Shape, fresh.Color, fresh.Pattern, cell);
            }
            case EditType.Remove:
                return new RemoveEdit(r);
            case EditType.Replace:
            {
                var shape = PickOther(ref rng, Enum.GetValues<ShapeKind>().Where(k => k != o.Shape), o.Shape);
                var color = PickOther(ref rng, Enum.GetValues<NamedColor>().Where(c => c != o.Color && !Palette.Clashes(s.Background, c) && s.FindByName(new ObjectRef(c, shape).Name) is null), o.Color);
                return new ReplaceEdit(r, shape, color, rng.Chance(0.5) ? Pattern.Solid : rng.Pick(Enum.GetValues<Pattern>()));
            }
            case EditType.Background:
                return new BackgroundEdit(PickBackground(s, ref rng));
            case EditType.Style:
                return new StyleEdit(PickOther(ref rng, Enum.GetValues<RenderStyle>().Where(x => x != s.Style), s.Style));
            case EditType.Action:
                return PlanAction(s, o, ref rng);
            case EditType.Text:
                return new TextEdit(PickOther(ref rng, TextSign.Alphabet.Where(c => c != s.Sign?.Character), 'A'));
            case EditType.Customization:
            {
                var main = EditApplier.ProminentObject(s) ?? o;
                var cells = Enum.GetValues<GridCell>().Where(c => c != main.Cell).ToArray();
                return new CustomizeEdit(ObjectRef.Of(main), PickBackground(s, ref rng, main.Color), rng.Pick(cells), rng.Pick(Enum.GetValues<SizeClass>()), 15 * rng.Next(24));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(type));
        }
    }

    private static EditSpec PlanAction(Scene s, SceneObject o, ref SplitMix64 rng)
    {
        var r = ObjectRef.Of(o);
        int order = ShapeGeometry.SymmetryOrder(o.Shape);
        var rotations = new[] { 45, 90, 180, 270, 315 }.Where(d => order != 0 && d % (360 / order) != 0).ToArray();
        var free = FreeCells(s);
        int flipped = ((180 - 2 * ShapeGeometry.MirrorAxisDegrees(o.Shape) - o.Rotation) % 360 + 360) % 360;
        bool flipVisible = order != 0 && (flipped - o.Rotation) % (360 / order) != 0;

        var options = new List<int>();
        if (rotations.Length > 0) options.Add(0);
        if (free.Length > 0) options.Add(1);
        if (flipVisible) options.Add(2);
        if (options.Count == 0) return new MoveEdit(r, o.Cell);
        return rng.Pick(options) switch
        {
            0 => new RotateEdit(r, rng.Pick(rotations)),
            1 => new MoveEdit(r, rng.Pick(free)),
            _ => new FlipEdit(r),
        };
    }

    private static EditSpec PlanInvalid(Scene s, EditType type, ref SplitMix64 rng)
    {
        var o = rng.Pick(s.Objects);
        var absent = AbsentObject(s, ref rng);
        bool useAbsent = rng.Chance(0.5);
        var r = useAbsent ? absent : ObjectRef.Of(o);
        return type switch
        {
            EditType.Color => new RecolorEdit(r, useAbsent ? rng.Pick(Enum.GetValues<NamedColor>()) : o.Color),
            EditType.Texture => new RetextureEdit(r, useAbsent ? rng.Pick(Enum.GetValues<Pattern>()) : o.Pattern),
            EditType.Adjust => new ResizeEdit(r, useAbsent ? rng.Pick(Enum.GetValues<SizeClass>()) : o.Size),
            EditType.Add => new AddEdit(absent.Shape, absent.Color, Pattern.Solid, null, ObjectRef.Of(o)),
            EditType.Remove => new RemoveEdit(absent),
            EditType.Replace => new ReplaceEdit(absent, rng.Pick(Enum.GetValues<ShapeKind>()), rng.Pick(Enum.GetValues<NamedColor>()), Pattern.Solid),
            EditType.Background => new BackgroundEdit(s.Background),
            EditType.Style => new StyleEdit(s.Style),
            EditType.Action => useAbsent ? new MoveEdit(absent, rng.Pick(Enum.GetValues<GridCell>())) : new MoveEdit(r, o.Cell),
            EditType.Text => new TextEdit(s.Sign?.Character ?? rng.Pick(TextSign.Alphabet.ToCharArray())),
            EditType.Customization => new CustomizeEdit(ObjectRef.Of(o), s.Background, o.Cell, o.Size, o.Rotation),
            _ => throw new ArgumentOutOfRangeException(nameof(type)),
        };
    }

    private static ObjectRef AbsentObject(Scene s, ref SplitMix64 rng)
    {
        while (true)
        {
            var candidate = new ObjectRef(rng.Pick(Enum.GetValues<NamedColor>()), rng.Pick(Enum.GetValues<ShapeKind>()));
            if (s.FindByName(candidate.Name) is null) return candidate;
        }
    }

    private static Background PickBackground(Scene s, ref SplitMix64 rng, NamedColor? mustShow = null)
    {
        for (int attempt = 0; ; attempt++)
        {
            var b = SceneSampler.SampleBackground(ref rng);
            if (b == s.Background.Normalized()) continue;
            if (attempt < 32 && s.Objects.Any(o => Palette.Clashes(b, o.Color))) continue;
            if (mustShow is { } c && Palette.Clashes(b, c)) continue;
            return b;
        }
    }

    private static GridCell[] FreeCells(Scene s) => Enum.GetValues<GridCell>().Except(s.OccupiedCells).ToArray();

    private static T PickOther<T>(ref SplitMix64 rng, IEnumerable<T> candidates, T fallback)
    {
        var list = candidates.ToArray();
        return list.Length > 0 ? rng.Pick(list) : fallback;
    }
}
