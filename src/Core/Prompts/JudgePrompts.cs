using System.Reflection;

namespace NpEdit.Core.Prompts;

/// <summary>
/// The evaluation judges' prompts, embedded in Core next to the paper's: VIEScore SC/PQ (GEdit-Bench, ImgEdit's
/// VIEScore table), the subject-driven SC for DreamBooth, and ImgEdit's per-type 1–5 rubrics. Each is our own
/// wording of the published protocol; the Evaluator sends them and the ShapesWorld annotator answers them.
/// </summary>
public static class JudgePrompts
{
    public static PromptTemplate VieEditSemanticConsistency { get; } = Load("vie/edit-sc.v1.txt");
    public static PromptTemplate VieSubjectSemanticConsistency { get; } = Load("vie/subject-sc.v1.txt");
    public static PromptTemplate ViePerceptualQuality { get; } = Load("vie/pq.v1.txt");

    /// <summary>ImgEdit Basic's nine edit types, each with its own rubric file.</summary>
    public static IReadOnlyList<string> ImgEditTypes { get; } = ["add", "adjust", "extract", "replace", "remove", "background", "style", "compose", "action"];

    private static readonly Dictionary<string, PromptTemplate> ImgEditRubrics =
        ImgEditTypes.ToDictionary(t => t, t => Load($"imgedit/{t}.v1.txt"));

    public static PromptTemplate ImgEdit(string editType) =>
        ImgEditRubrics.TryGetValue(editType, out var prompt)
            ? prompt
            : throw new ArgumentException($"No ImgEdit rubric for edit type '{editType}'; known types: {string.Join(", ", ImgEditTypes)}.", nameof(editType));

    private static PromptTemplate Load(string path)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"prompts/{path}")
            ?? throw new InvalidOperationException($"Embedded prompt prompts/{path} is missing; check the EmbeddedResource item in NpEdit.Core.csproj.");
        using var reader = new StreamReader(stream);
        return PromptTemplate.Parse(path, reader.ReadToEnd());
    }
}
