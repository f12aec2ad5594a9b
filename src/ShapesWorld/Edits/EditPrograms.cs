using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Edits;

/// <summary>
/// Entry point for edit generation: scene seed + edit seed + type → <see cref="EditItem"/>, deterministically.
/// </summary>
public static class EditPrograms
{
    /// <summary>An edit of <paramref name="type"/> on the scene of <paramref name="sceneSeed"/>; <paramref name="invalid"/> asks for a deliberately invalid one.</summary>
    public static EditItem Create(ulong sceneSeed, EditType type, ulong editSeed, bool invalid = false) =>
        Create(SceneSampler.Sample(sceneSeed), sceneSeed, type, editSeed, invalid);

    public static EditItem Create(Scene source, ulong sceneSeed, EditType type, ulong editSeed, bool invalid = false)
    {
        var rng = SplitMix64.Derive(editSeed, (ulong)type + 1);
        var spec = EditPlanner.Plan(source, type, ref rng, invalid);
        return FromSpec(source, sceneSeed, editSeed, spec);
    }

    /// <summary>Builds the item for an explicit spec (the annotator uses this for instructions it parsed).</summary>
    public static EditItem FromSpec(Scene source, ulong sceneSeed, ulong editSeed, EditSpec spec)
    {
        var outcome = EditApplier.Apply(source, spec);
        var instructions = InstructionWriter.Write(spec, source);
        string caption = outcome.Target is { } target ? Captioner.Describe(target, editSeed).Detailed : "NA";
        string? objectName = spec switch
        {
            RemoveEdit r => r.Object.Name,
            CustomizeEdit c => source.FindByName(c.Object.Name) is { } main ? Captioner.ObjectPhrase(main, withSize: false) : c.Object.Name,
            _ => null,
        };
        string id = $"{sceneSeed:x16}-{editSeed:x16}-{spec.Type.ToString().ToLowerInvariant()}";
        return new EditItem(id, sceneSeed, editSeed, source, spec, instructions, caption, objectName, outcome.IsValid, outcome.Reasoning);
    }

    /// <summary>Draws a type (uniformly over the allowed ones) and validity (by the invalid fraction) from the edit seed.</summary>
    public static EditItem Sample(ulong sceneSeed, ulong editSeed, EditProgramOptions? options = null)
    {
        options ??= new EditProgramOptions();
        options.Validate();
        var source = SceneSampler.Sample(sceneSeed);
        var rng = SplitMix64.Derive(editSeed, 0x7E5);
        var types = options.Types.Where(t => t != EditType.Customization || EditApplier.ProminentObject(source) is not null).ToArray();
        if (types.Length == 0) types = options.Types.ToArray();
        var type = rng.Pick(types);
        return Create(source, sceneSeed, type, editSeed, rng.Chance(options.InvalidFraction));
    }
}
