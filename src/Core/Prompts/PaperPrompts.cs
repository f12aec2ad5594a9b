using System.Reflection;

namespace NpEdit.Core.Prompts;

/// <summary>
/// The NP-Edit dataset-construction prompts (App. D) and the customization generator prompt (App. E.2),
/// embedded in Core: the DatasetBuilder sends exactly the texts the ShapesWorld annotator answers.
/// </summary>
public static class PaperPrompts
{
    public static PromptTemplate InstructionGeneration { get; } = Load("app-d/instruction-generation.v1.txt");
    public static PromptTemplate ValidityAndCaption { get; } = Load("app-d/validity-and-caption.v1.txt");
    public static PromptTemplate ProminentObject { get; } = Load("app-d/prominent-object.v1.txt");
    public static PromptTemplate BackgroundSuggestions { get; } = Load("app-d/background-suggestions.v1.txt");
    public static PromptTemplate CustomizationGenerator { get; } = Load("app-e/customization-generator.v1.txt");

    // The critic's questions (App. E): two per sample, answered with the Yes/No logits of the VLM loss (Eq. 4).
    public static PromptTemplate EditVerification { get; } = Load("app-e/edit-verification.v1.txt");
    public static PromptTemplate IdentityPreservation { get; } = Load("app-e/identity-preservation.v1.txt");
    public static PromptTemplate RemovalPresence { get; } = Load("app-e/removal-presence.v1.txt");
    public static PromptTemplate CustomizationPose { get; } = Load("app-e/customization-pose.v1.txt");
    public static PromptTemplate CustomizationIdentity { get; } = Load("app-e/customization-identity.v1.txt");

    private static PromptTemplate Load(string path)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"prompts/{path}")
            ?? throw new InvalidOperationException($"Embedded prompt prompts/{path} is missing; check the EmbeddedResource item in NpEdit.Core.csproj.");
        using var reader = new StreamReader(stream);
        return PromptTemplate.Parse(path, reader.ReadToEnd());
    }
}
