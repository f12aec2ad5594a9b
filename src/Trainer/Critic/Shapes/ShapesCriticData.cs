using NpEdit.Core.Prompts;
using NpEdit.ShapesWorld;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// Yes/No questions from ShapesWorld for critic pretraining, one per index, deterministic in (stream, index).
/// Families rotate presence → edit → identity; half the answers are Yes.
/// <list type="bullet">
/// <item>presence (App. E.1 removal question, one image): a named object that is in the image (Yes); one that
/// is not, either never there or just removed (No).</item>
/// <item>edit verification (two images): the correct target, also noisy or blurred (Yes); a no-op, a different
/// edit, or half of a replace (No).</item>
/// <item>identity preservation (two images): the correct target or a no-op (Yes); the target with an extra
/// unrequested edit, or a noisy or blurred target (No).</item>
/// </list>
/// </summary>
public static class ShapesCriticData
{
    /// <summary>Side of the rendered images.</summary>
    public const int ImageSize = 64;

    static readonly EditType[] LocalTypes = Enum.GetValues<EditType>().Where(t => t != EditType.Customization).ToArray();
    static readonly EditType[] OverEditTypes = [EditType.Add, EditType.Background, EditType.Style, EditType.Text];

    /// <summary>Stream of training examples.</summary>
    public const ulong TrainStream = 1;

    /// <summary>Stream of held-out examples (different scenes from training: another seed stream).</summary>
    public const ulong HeldOutStream = 2;

    /// <summary>Example <paramref name="index"/> of <paramref name="stream"/>.</summary>
    public static CriticExample Example(ulong stream, long index)
    {
        var sceneSeed = CriticSeeds.SceneSeed(stream, index);
        var rng = SplitMix64.Derive(sceneSeed, 0xC1);
        var source = SceneSampler.Sample(sceneSeed);
        var yes = rng.Chance(0.5);
        return CriticExample.Families[(int)(index % 3)] switch
        {
            CriticExample.Presence => PresenceExample(source, yes, ref rng),
            CriticExample.Edit => EditExample(source, sceneSeed, yes, ref rng),
            _ => IdentityExample(source, sceneSeed, yes, ref rng),
        };
    }

    /// <summary>Examples <paramref name="start"/>, <paramref name="start"/> + 1, … of <paramref name="stream"/>.</summary>
    public static IEnumerable<CriticExample> Stream(ulong stream, long start = 0)
    {
        for (var i = start; ; i++)
            yield return Example(stream, i);
    }

    /// <summary>
    /// The stream index of the <paramref name="k"/>-th example (from 0) at or after <paramref name="start"/> whose family
    /// is one of <paramref name="families"/>: what <c>Stream(stream, start).Where(e => families.Contains(e.Family))</c>
    /// reaches as its k-th item, without rendering the examples in between (families rotate with the index).
    /// </summary>
    public static long IndexOf(IReadOnlyCollection<string> families, long start, long k)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var residues = Enumerable.Range(0, CriticExample.Families.Length).Where(r => families.Contains(CriticExample.Families[r])).ToArray();
        if (residues.Length == 0)
            throw new ArgumentException($"No known question family among '{string.Join(",", families)}'; use {string.Join(", ", CriticExample.Families)}.", nameof(families));
        var period = CriticExample.Families.Length;
        var first = start - start % period;
        k += residues.Count(r => first + r < start);   // the selected examples of the first period that lie before start
        return first + period * (k / residues.Length) + residues[k % residues.Length];
    }

    /// <summary>
    /// Batch <paramref name="batch"/> (from 0) of <paramref name="size"/> consecutive examples of <paramref name="families"/>
    /// from <paramref name="start"/> on: the same as chunking the filtered stream, but a function of the batch index alone,
    /// so batches can be rendered out of order on several threads (<see cref="BatchPrefetcher{T}"/>).
    /// </summary>
    public static CriticExample[] Batch(ulong stream, IReadOnlyCollection<string> families, long start, int size, long batch) =>
        [.. Enumerable.Range(0, size).Select(j => Example(stream, IndexOf(families, start, batch * size + j)))];

    static CriticExample PresenceExample(Scene source, bool yes, ref SplitMix64 rng)
    {
        if (yes)
        {
            var present = rng.Pick(source.Objects);
            return Presence(ObjectRef.Of(present).Name, source, CandidateKind.Present, true);
        }
        if (rng.Chance(0.5))
        {
            // The removal case NP-Edit asks about: the object was just removed (when removing it is a valid edit).
            var removed = rng.Pick(source.Objects);
            if (EditApplier.Apply(source, new RemoveEdit(ObjectRef.Of(removed))).Target is { } target)
                return Presence(ObjectRef.Of(removed).Name, target, CandidateKind.Absent, false);
        }
        ObjectRef absent;
        do
            absent = new ObjectRef(rng.Pick(Enum.GetValues<NamedColor>()), rng.Pick(Enum.GetValues<ShapeKind>()));
        while (source.FindByName(absent.Name) is not null);
        return Presence(absent.Name, source, CandidateKind.Absent, false);
    }

    static CriticExample Presence(string objectName, Scene shown, CandidateKind kind, bool yes) =>
        new(CriticExample.Presence, kind,
            PaperPrompts.RemovalPresence.FillUser(new Dictionary<string, string> { ["object_name"] = objectName }),
            null, Render(shown), yes)
        {
            CandidateScene = shown,
            Subject = objectName,
            GroundedText = yes ? objectName : null,
        };

    static CriticExample EditExample(Scene source, ulong sceneSeed, bool yes, ref SplitMix64 rng)
    {
        var item = ValidEdit(source, sceneSeed, LocalTypes, ref rng);
        var target = GroundTruth.TargetOf(item);
        var instruction = rng.Pick(item.Instructions);
        var question = PaperPrompts.EditVerification.FillUser(new Dictionary<string, string> { ["edit_instruction"] = instruction });
        CandidateKind kind;
        Scene? candidate;
        if (yes)
        {
            kind = rng.Pick([CandidateKind.Correct, CandidateKind.Correct, CandidateKind.Noisy, CandidateKind.Blurred]);
            candidate = target;
        }
        else
        {
            kind = rng.Pick([CandidateKind.NoOp, CandidateKind.NoOp, CandidateKind.WrongEdit, CandidateKind.WrongEdit, CandidateKind.PartialEdit]);
            candidate = kind switch
            {
                CandidateKind.NoOp => source,
                CandidateKind.PartialEdit => PartialEdit(source, item, target, ref rng),
                _ => null,
            };
            if (candidate is null)
                (kind, candidate) = (CandidateKind.WrongEdit, WrongEdit(source, sceneSeed, item, target, ref rng));
        }
        return new CriticExample(CriticExample.Edit, kind, question, Render(source), Degrade(Render(candidate), kind, ref rng), yes)
        {
            ReferenceScene = source,
            CandidateScene = candidate,
            TargetScene = target,
            Subject = instruction,
            GroundedText = yes ? instruction : null,
        };
    }

    static CriticExample IdentityExample(Scene source, ulong sceneSeed, bool yes, ref SplitMix64 rng)
    {
        var item = ValidEdit(source, sceneSeed, LocalTypes, ref rng);
        var target = GroundTruth.TargetOf(item);
        var instruction = rng.Pick(item.Instructions);
        var question = PaperPrompts.IdentityPreservation.FillUser(new Dictionary<string, string> { ["edit_instruction"] = instruction });
        var kind = yes
            ? rng.Pick([CandidateKind.Correct, CandidateKind.Correct, CandidateKind.NoOp])
            : rng.Pick([CandidateKind.OverEdit, CandidateKind.OverEdit, CandidateKind.Noisy, CandidateKind.Blurred]);
        var candidate = kind switch
        {
            CandidateKind.NoOp => source,
            CandidateKind.OverEdit => OverEdit(target, sceneSeed, item, ref rng) ?? target,
            _ => target,
        };
        if (kind == CandidateKind.OverEdit && ReferenceEquals(candidate, target))
            kind = CandidateKind.Noisy;   // no extra edit applies to this target: degrade it instead
        return new CriticExample(CriticExample.Identity, kind, question, Render(source), Degrade(Render(candidate), kind, ref rng), yes)
        {
            ReferenceScene = source,
            CandidateScene = candidate,
            TargetScene = target,
            Subject = instruction,
            GroundedText = ReferenceEquals(candidate, target) ? instruction : null,
        };
    }

    /// <summary>A valid edit of one of <paramref name="types"/>; falls back to a background edit, which always applies.</summary>
    static EditItem ValidEdit(Scene source, ulong sceneSeed, IReadOnlyList<EditType> types, ref SplitMix64 rng)
    {
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var item = EditPrograms.Create(source, sceneSeed, rng.Pick(types), rng.NextUInt64());
            if (item.IsValid)
                return item;
        }
        return EditPrograms.Create(source, sceneSeed, EditType.Background, rng.NextUInt64());
    }

    /// <summary>A different valid edit whose result does not also satisfy the instruction.</summary>
    static Scene WrongEdit(Scene source, ulong sceneSeed, EditItem item, Scene target, ref SplitMix64 rng)
    {
        var others = LocalTypes.Where(t => t != item.Type).ToArray();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var wrong = EditPrograms.Create(source, sceneSeed, rng.Pick(others), rng.NextUInt64());
            if (!wrong.IsValid)
                continue;
            var result = GroundTruth.TargetOf(wrong);
            var removalStillUndone = item.Spec is not RemoveEdit r || result.Objects.Any(r.Object.Matches);
            if (removalStillUndone && !EditApplier.LooksSame(result, target) && !EditApplier.LooksSame(result, source))
                return result;
        }
        return source;
    }

    /// <summary>Half of a replace (only the colour or only the shape); null for other edits.</summary>
    static Scene? PartialEdit(Scene source, EditItem item, Scene target, ref SplitMix64 rng)
    {
        if (item.Spec is not ReplaceEdit replace)
            return null;
        EditSpec half = rng.Chance(0.5) ? new RecolorEdit(replace.Object, replace.NewColor) : new ReshapeEdit(replace.Object, replace.NewShape);
        var result = EditApplier.Apply(source, half).Target;
        return result is not null && !EditApplier.LooksSame(result, target) && !EditApplier.LooksSame(result, source) ? result : null;
    }

    /// <summary>The target plus an unrequested global or additive edit (background, style, sign, new object).</summary>
    static Scene? OverEdit(Scene target, ulong sceneSeed, EditItem item, ref SplitMix64 rng)
    {
        var types = OverEditTypes.Where(t => t != item.Type).ToArray();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var extra = EditPrograms.Create(target, sceneSeed, rng.Pick(types), rng.NextUInt64());
            if (extra.IsValid)
                return GroundTruth.TargetOf(extra);
        }
        return null;
    }

    static byte[] Degrade(byte[] rgb, CandidateKind kind, ref SplitMix64 rng) => kind switch
    {
        CandidateKind.Noisy => ImageDegradation.Noise(rgb, sigma: 25 + 20 * rng.NextDouble(), rng.NextUInt64()),
        CandidateKind.Blurred => ImageDegradation.Blur(rgb, ImageSize, radius: 1, passes: rng.Next(2, 4)),
        _ => rgb,
    };

    static byte[] Render(Scene scene) => Renderer.Render(scene, ImageSize);
}
