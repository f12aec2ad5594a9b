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

    /// <summary>Example <paramref name="index"/> of <paramref name="stream"/>, drawn as <paramref name="sampling"/> says (default: the held-out mix).</summary>
    public static CriticExample Example(ulong stream, long index, ShapesCriticSampling? sampling = null)
    {
        sampling ??= ShapesCriticSampling.HeldOut;
        var family = CriticExample.Families[(int)(index % 3)];
        if (family != CriticExample.Identity && sampling.ContrastiveShare > 0)
        {
            // Questions of a family pair up in order (its ordinals 2p and 2p + 1), both from the first one's scene seed.
            var ordinal = index / 3;
            var pairSeed = CriticSeeds.SceneSeed(stream, index - 3 * (ordinal % 2));
            var pairRng = SplitMix64.Derive(pairSeed, 0xC2);
            if (pairRng.Chance(sampling.ContrastiveShare))
            {
                var yes = (ordinal % 2 == 0) ^ pairRng.Chance(0.5);
                var pairSource = SceneSampler.Sample(pairSeed);
                return family == CriticExample.Presence
                    ? ContrastivePresence(pairSource, yes, sampling, ref pairRng)
                    : ContrastiveEdit(pairSource, pairSeed, yes, ref pairRng);
            }
        }
        var sceneSeed = CriticSeeds.SceneSeed(stream, index);
        var rng = SplitMix64.Derive(sceneSeed, 0xC1);
        var source = SceneSampler.Sample(sceneSeed);
        var answer = rng.Chance(0.5);
        return family switch
        {
            CriticExample.Presence => PresenceExample(source, answer, sampling, ref rng),
            CriticExample.Edit => EditExample(source, sceneSeed, answer, ref rng),
            _ => IdentityExample(source, sceneSeed, answer, ref rng),
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
    public static CriticExample[] Batch(ulong stream, IReadOnlyCollection<string> families, long start, int size, long batch, ShapesCriticSampling? sampling = null) =>
        [.. Enumerable.Range(0, size).Select(j => Example(stream, IndexOf(families, start, batch * size + j), sampling))];

    static CriticExample PresenceExample(Scene source, bool yes, ShapesCriticSampling sampling, ref SplitMix64 rng)
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
        return Presence(AbsentName(source, sampling, ref rng), source, CandidateKind.Absent, false);
    }

    /// <summary>
    /// A contrastive presence question (<see cref="ShapesCriticSampling.ContrastiveShare"/>): both questions of a pair draw
    /// the same shown image (the source, or half the time the source with one object removed), a present name and an
    /// absent one (the removed object's, else <see cref="AbsentName"/>), and ask about the one <paramref name="yes"/> picks.
    /// </summary>
    static CriticExample ContrastivePresence(Scene source, bool yes, ShapesCriticSampling sampling, ref SplitMix64 rng)
    {
        var shown = source;
        string? absent = null;
        if (source.Objects.Count > 1 && rng.Chance(0.5))
        {
            var removed = rng.Pick(source.Objects);
            if (EditApplier.Apply(source, new RemoveEdit(ObjectRef.Of(removed))).Target is { } target)
                (shown, absent) = (target, ObjectRef.Of(removed).Name);
        }
        var present = ObjectRef.Of(rng.Pick(shown.Objects)).Name;
        absent ??= AbsentName(shown, sampling, ref rng);
        return yes ? Presence(present, shown, CandidateKind.Present, true) : Presence(absent, shown, CandidateKind.Absent, false);
    }

    /// <summary>
    /// The name of an object that is not in <paramref name="shown"/>: with <see cref="ShapesCriticSampling.HardNegativeShare"/>
    /// one that shares the colour or the shape of an object there, else any colour and shape.
    /// </summary>
    internal static string AbsentName(Scene shown, ShapesCriticSampling sampling, ref SplitMix64 rng)
    {
        // No draw at all when hard negatives are off, so the held-out mix keeps the questions of the runs before them.
        if (sampling.HardNegativeShare > 0 && shown.Objects.Count > 0 && rng.Chance(sampling.HardNegativeShare))
        {
            var near = rng.Pick(shown.Objects);
            var keepColor = rng.Chance(0.5);
            for (var attempt = 0; attempt < 20; attempt++)
            {
                var candidate = keepColor
                    ? new ObjectRef(near.Color, rng.Pick(Enum.GetValues<ShapeKind>()))
                    : new ObjectRef(rng.Pick(Enum.GetValues<NamedColor>()), near.Shape);
                if (shown.FindByName(candidate.Name) is null)
                    return candidate.Name;
            }
        }
        ObjectRef absent;
        do
            absent = new ObjectRef(rng.Pick(Enum.GetValues<NamedColor>()), rng.Pick(Enum.GetValues<ShapeKind>()));
        while (shown.FindByName(absent.Name) is not null);
        return absent.Name;
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

    /// <summary>
    /// A contrastive edit-verification question (<see cref="ShapesCriticSampling.ContrastiveShare"/>): both questions of a
    /// pair show the source and the clean result of one edit; the Yes question gives that edit's instruction, the No
    /// question the instruction of a different valid edit that the result does not carry out (kind
    /// <see cref="CandidateKind.WrongEdit"/>: the candidate is another edit than the one asked for).
    /// </summary>
    static CriticExample ContrastiveEdit(Scene source, ulong sceneSeed, bool yes, ref SplitMix64 rng)
    {
        var done = ValidEdit(source, sceneSeed, LocalTypes, ref rng);
        var candidate = GroundTruth.TargetOf(done);
        var doneInstruction = rng.Pick(done.Instructions);
        var other = OtherInstruction(source, sceneSeed, done, candidate, ref rng);
        if (other is null)
            return EditExample(source, sceneSeed, yes, ref rng);   // no other edit tells apart from this one: an ordinary question
        var (instruction, target) = yes ? (doneInstruction, candidate) : other.Value;
        return new CriticExample(CriticExample.Edit, yes ? CandidateKind.Correct : CandidateKind.WrongEdit,
            PaperPrompts.EditVerification.FillUser(new Dictionary<string, string> { ["edit_instruction"] = instruction }),
            Render(source), Render(candidate), yes)
        {
            ReferenceScene = source,
            CandidateScene = candidate,
            TargetScene = target,
            Subject = instruction,
            GroundedText = yes ? instruction : null,
        };
    }

    /// <summary>
    /// The instruction and ground-truth result of a valid edit of another type than <paramref name="done"/> that
    /// <paramref name="result"/> does not carry out (its result looks different, and a removal it asks for is not done).
    /// </summary>
    static (string Instruction, Scene Target)? OtherInstruction(Scene source, ulong sceneSeed, EditItem done, Scene result, ref SplitMix64 rng)
    {
        var found = OtherEdit(source, sceneSeed, done.Type, ref rng, (other, target) =>
            (other.Spec is not RemoveEdit r || result.Objects.Any(r.Object.Matches))
            && !EditApplier.LooksSame(result, target) && !EditApplier.LooksSame(source, target));
        return found is var (other, target) ? (rng.Pick(other.Instructions), target) : null;
    }

    /// <summary>
    /// Up to 20 draws of a valid edit of another local type than <paramref name="excluded"/>, the first whose
    /// (edit, ground-truth result) <paramref name="accept"/> takes, or null.
    /// </summary>
    static (EditItem Edit, Scene Target)? OtherEdit(Scene source, ulong sceneSeed, EditType excluded, ref SplitMix64 rng, Func<EditItem, Scene, bool> accept)
    {
        var others = LocalTypes.Where(t => t != excluded).ToArray();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var other = EditPrograms.Create(source, sceneSeed, rng.Pick(others), rng.NextUInt64());
            if (!other.IsValid)
                continue;
            var target = GroundTruth.TargetOf(other);
            if (accept(other, target))
                return (other, target);
        }
        return null;
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
    static Scene WrongEdit(Scene source, ulong sceneSeed, EditItem item, Scene target, ref SplitMix64 rng) =>
        OtherEdit(source, sceneSeed, item.Type, ref rng, (_, result) =>
            (item.Spec is not RemoveEdit r || result.Objects.Any(r.Object.Matches))
            && !EditApplier.LooksSame(result, target) && !EditApplier.LooksSame(result, source))?.Target ?? source;

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
