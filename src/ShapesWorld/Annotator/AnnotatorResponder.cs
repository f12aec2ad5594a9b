using System.Text;
using System.Text.RegularExpressions;
using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Annotator;

/// <summary>
/// The annotator's brain, without HTTP: reads an App. D prompt plus its images and answers in the output format
/// that prompt asks for, from the recognised scene's ground truth. Unknown images get an honest "cannot tell".
/// </summary>
public static partial class AnnotatorResponder
{
    public const string CannotTell = "cannot tell";

    public static PromptKind Classify(string text) => text switch
    {
        _ when text.Contains("generate simple editing instructions", StringComparison.OrdinalIgnoreCase) => PromptKind.InstructionGeneration,
        _ when text.Contains("check if a given edit instruction is valid", StringComparison.OrdinalIgnoreCase) => PromptKind.ValidityAndCaption,
        _ when text.Contains("single, uniquely identifiable object", StringComparison.OrdinalIgnoreCase) => PromptKind.ProminentObject,
        _ when text.Contains("background captions for the object", StringComparison.OrdinalIgnoreCase) => PromptKind.BackgroundSuggestions,
        _ when text.Contains(VieScoreResponder.SemanticConsistencyMarker, StringComparison.OrdinalIgnoreCase) => PromptKind.VieSemanticConsistency,
        _ when text.Contains(VieScoreResponder.PerceptualQualityMarker, StringComparison.OrdinalIgnoreCase) => PromptKind.ViePerceptualQuality,
        _ => PromptKind.Unknown,
    };

    public static string Respond(string text, IReadOnlyList<AnnotatorImage> images) => Classify(text) switch
    {
        PromptKind.InstructionGeneration => Instructions(text, images.FirstOrDefault()),
        PromptKind.ValidityAndCaption => Validity(text, images.FirstOrDefault()),
        PromptKind.ProminentObject => Prominence(images.LastOrDefault()),
        PromptKind.BackgroundSuggestions => Backgrounds(text, images.FirstOrDefault()),
        PromptKind.VieSemanticConsistency => VieScoreResponder.SemanticConsistency(text, images),
        PromptKind.ViePerceptualQuality => VieScoreResponder.PerceptualQuality(images.FirstOrDefault()),
        _ => "I can only answer the ShapesWorld dataset-construction prompts (instruction generation, instruction validity with an edited caption, the prominent-object check, background suggestions) and the VIEScore SC and PQ judge prompts.",
    };

    private static string Instructions(string text, AnnotatorImage? image)
    {
        if (image?.Known is not { } known)
            return UnknownImage(image) + " I cannot suggest edit instructions for an image whose content I cannot tell.";
        ulong seed = known.Seed ^ Fnv(text);
        var rng = new SplitMix64(seed);
        var types = EditTypeNames.Local.ToArray();
        for (int i = types.Length - 1; i > 0; i--) { int j = rng.Next(i + 1); (types[i], types[j]) = (types[j], types[i]); }
        var sb = new StringBuilder();
        int n = 0;
        foreach (var type in types)
        {
            var item = EditPrograms.Create(known.Scene, known.Seed, type, rng.NextUInt64());
            if (!item.IsValid) continue;
            n++;
            sb.Append($"Example {n}:\n- Instruction: {item.Instructions[rng.Next(item.Instructions.Count)]}\n- Type: {EditTypeNames.PaperName(type)}\n\n");
            if (n == 4) break;
        }
        return sb.ToString().TrimEnd();
    }

    private static string Validity(string text, AnnotatorImage? image)
    {
        var typeText = EditTypeLine().Match(text);
        var instructionText = EditInstructionLine().Match(text);
        if (!typeText.Success || !instructionText.Success)
            return Format("invalid", "The request does not state an edit type and an edit instruction, so there is nothing to check.", "NA");
        if (image?.Known is not { } known)
            return Format(CannotTell, UnknownImage(image) + " I cannot judge whether the instruction applies to it.", "NA");
        var type = EditTypeNames.Parse(typeText.Groups[1].Value);
        string instruction = instructionText.Groups[1].Value.Trim();
        var spec = type is { } t ? InstructionParser.Parse(t, instruction, known.Scene) : null;
        if (spec is null)
            return Format("invalid", "The edit instruction is invalid because it is too hard to understand as a single, clear change to this image.", "NA");
        var outcome = EditApplier.Apply(known.Scene, spec);
        string caption = outcome.Target is { } target ? Captioner.Describe(target, known.Seed ^ Fnv(instruction)).Detailed : "NA";
        return Format(outcome.IsValid ? "valid" : "invalid", outcome.Reasoning, caption);
    }

    private static string Prominence(AnnotatorImage? image)
    {
        if (image?.Known is not { } known)
            return $"Output: {CannotTell}\n\nReasoning: {UnknownImage(image)}\n\nObject Name: NA";
        var scene = known.Scene;
        var main = EditApplier.ProminentObject(scene);
        if (main is not null)
        {
            string name = Captioner.ObjectPhrase(main, withSize: false);
            return $"Output: True\n\nReasoning: The image shows a single {Vocabulary.Size(main.Size)} {name} in the center, fully visible and distinct from {Vocabulary.BackgroundPhrase(scene.Background)}.\n\nObject Name: {name}";
        }
        string why = scene.Objects.Count > 1
            ? $"The image shows {scene.Objects.Count} shapes of similar prominence, not a single primary object."
            : scene.Objects[0].Cell != GridCell.Center
                ? $"The only shape is {Vocabulary.CellPhrase(scene.Objects[0].Cell)}, not near the center."
                : "The only shape is small and does not dominate the frame.";
        var largest = scene.Objects.OrderByDescending(o => o.Size).First();
        return $"Output: False\n\nReasoning: {why}\n\nObject Name: {Captioner.ObjectPhrase(largest, withSize: false)}";
    }

    private static string Backgrounds(string text, AnnotatorImage? image)
    {
        var objectLine = ObjectLine().Matches(text).LastOrDefault();
        string objectName = objectLine?.Groups[1].Value.Trim().Trim('"', '\'', '.') ?? "";
        if (objectName.Length == 0 || objectName.Equals("None", StringComparison.OrdinalIgnoreCase)) return "None";
        var colors = Vocabulary.ColorWords.Where(w => Regex.IsMatch(objectName, $@"\b{w.Word}\b", RegexOptions.IgnoreCase)).Select(w => w.Value).ToArray();
        var rng = new SplitMix64(Fnv(objectName.ToLowerInvariant()) ^ (image?.Known?.Seed ?? 0));
        var current = image?.Known?.Scene.Background.Normalized();
        var picked = new List<Background>();
        for (int attempt = 0; picked.Count < 3 && attempt < 200; attempt++)
        {
            var b = SceneSampler.SampleBackground(ref rng);
            if (b == current || picked.Any(p => p.Kind == b.Kind)) continue;
            if (attempt < 150 && colors.Any(c => Palette.Clashes(b, c))) continue;
            picked.Add(b);
        }
        return string.Join('\n', picked.Select((b, i) => $"{i + 1}. {Vocabulary.BackgroundDescription(b)}"));
    }

    private static string Format(string validity, string reasoning, string caption) =>
        $"Validity: {validity}\n\nReasoning: {reasoning}\n\nEdited image Caption: {caption}";

    private static string UnknownImage(AnnotatorImage? image) => image switch
    {
        null => "No image was attached, so I cannot tell what it shows.",
        { Width: 0 } => "I cannot tell what the image shows: it is not a PNG image I can read.",
        _ => "I cannot tell what the image shows: it is not a ShapesWorld image I recognise.",
    };

    private static ulong Fnv(string s)
    {
        ulong h = 0xCBF29CE484222325UL;
        foreach (char c in s) { h ^= c; h *= 0x100000001B3UL; }
        return h;
    }

    [GeneratedRegex(@"^Edit type:\s*(.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex EditTypeLine();

    [GeneratedRegex(@"^Edit instruction:\s*(.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex EditInstructionLine();

    [GeneratedRegex(@"^Object:\s*(.+?)\s*$", RegexOptions.Multiline)]
    private static partial Regex ObjectLine();
}
