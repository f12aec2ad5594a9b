using NpEdit.Core.Config.Dataset;
using NpEdit.Core.Prompts;
using NpEdit.DatasetBuilder.Images;
using NpEdit.DatasetBuilder.Parsing;
using NpEdit.DatasetBuilder.Vlm;

namespace NpEdit.DatasetBuilder.Pipeline;

/// <summary>
/// The four App. D requests, built from the versioned prompt files with the dataset's sampling settings. Every
/// request is a pure function of (config, image, earlier replies), so a rerun rebuilds identical requests.
/// </summary>
public sealed class PromptSet(VlmSection vlm, ExampleBank examples, VlmImage prominentExample, long datasetSeed)
{
    /// <summary>Recorded in every row: the App. D prompt files and our example bank.</summary>
    public const string Version = "app-d/v1+" + ExampleBank.Version;

    public const string InstructionGenerationName = "app-d/instruction-generation.v1";
    public const string ValidityName = "app-d/validity-and-caption.v1";
    public const string ProminentObjectName = "app-d/prominent-object.v1";
    public const string BackgroundsName = "app-d/background-suggestions.v1";

    public VlmRequest InstructionGeneration(PreparedImage image)
    {
        // One good example per type, drawn at random (App. D), seeded by dataset and image.
        var rng = new Random(StableSeed(datasetSeed, image.Sha256));
        var template = PaperPrompts.InstructionGeneration;
        return Request(InstructionGenerationName, template.System, template.FillUser(examples.Draw(rng)), [Image(image)]);
    }

    public VlmRequest Validity(PreparedImage image, ProposedInstruction instruction)
    {
        var template = PaperPrompts.ValidityAndCaption;
        var user = template.FillUser(new Dictionary<string, string>
        {
            ["edit_type"] = EditTypeLabels.PaperName(instruction.EditType),
            ["edit_instruction"] = instruction.Instruction,
        });
        return Request(ValidityName, template.System, user, [Image(image)]);
    }

    /// <summary>Two images: the in-context example of a valid case first, then the candidate (App. D).</summary>
    public VlmRequest ProminentObject(PreparedImage image)
    {
        var template = PaperPrompts.ProminentObject;
        return Request(ProminentObjectName, template.System, template.FillUser(new Dictionary<string, string>()), [prominentExample, Image(image)]);
    }

    public VlmRequest Backgrounds(PreparedImage image, string objectName)
    {
        var template = PaperPrompts.BackgroundSuggestions;
        var user = template.FillUser(new Dictionary<string, string> { ["object_name"] = objectName });
        return Request(BackgroundsName, template.System, user, [Image(image)]);
    }

    /// <summary>The generator's customization prompt (App. E.2) for one background caption.</summary>
    public static string CustomizationInstruction(string background) =>
        PaperPrompts.CustomizationGenerator.FillUser(new Dictionary<string, string> { ["background_description"] = background });

    private VlmRequest Request(string name, string? system, string user, IReadOnlyList<VlmImage> images) =>
        new(name, system, user, images) { Temperature = vlm.Temperature, Seed = vlm.Seed, MaxOutputTokens = vlm.MaxTokens };

    private static VlmImage Image(PreparedImage image) => image.Attachment;

    // string.GetHashCode is randomised per process; the draw must be the same on every run.
    private static int StableSeed(long seed, string sha256) =>
        (int)(Convert.ToUInt32(sha256[..8], 16) ^ (uint)seed ^ (uint)(seed >> 32));
}
