using System.Text.RegularExpressions;

namespace NpEdit.Evaluator.Benchmarks;

/// <summary>
/// The DreamBooth dataset (google/dreambooth, folder <c>dataset/</c>): 30 subject folders of 4–6 photos and
/// <c>prompts_and_classes.txt</c> with the subject→class list and 25 prompt templates each for objects and for
/// live subjects (cats and dogs). One item per subject and prompt (750); the source is the subject's first photo.
/// The class token replaces <c>{0} {1}</c>, so the judge reads "a dog in the jungle".
/// </summary>
public static partial class DreamBoothLoader
{
    public const string PromptsFile = "prompts_and_classes.txt";
    public const int Subjects = 30;
    public const int PromptsPerSubject = 25;

    /// <summary>DreamBooth's live subjects are its cats and dogs; everything else is an object.</summary>
    public static bool IsLive(string subjectClass) => subjectClass is "cat" or "dog";

    public static string DownloadHint(string root) =>
        $"Clone https://github.com/google/dreambooth and pass its dataset/ folder (30 subject folders plus {PromptsFile}) as --data, or copy it to {root}.";

    public static async Task<EvalBenchmark> LoadAsync(string root, CancellationToken ct = default)
    {
        var promptsPath = Path.Combine(root, PromptsFile);
        if (!File.Exists(promptsPath))
            throw new BenchmarkFilesMissingException($"{promptsPath} not found. {DownloadHint(root)}", promptsPath);
        var (classes, objectPrompts, livePrompts) = Parse(await File.ReadAllLinesAsync(promptsPath, ct), promptsPath);

        var items = new List<EvalItem>();
        var missing = new List<string>();
        foreach (var (subject, subjectClass) in classes)
        {
            var folder = Path.Combine(root, subject);
            var photo = Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder).Where(IsImage).Order(StringComparer.Ordinal).FirstOrDefault()
                : null;
            if (photo is null)
            {
                missing.Add(subject);
                continue;
            }
            var live = IsLive(subjectClass);
            var prompts = live ? livePrompts : objectPrompts;
            for (var i = 0; i < prompts.Count; i++)
            {
                var text = prompts[i].Replace("{0} {1}", subjectClass, StringComparison.Ordinal);
                items.Add(new EvalItem($"{subject}/{i:D2}", live ? "live" : "object", text, () => File.ReadAllBytes(photo))
                {
                    Subject = subject,
                    SubjectClass = subjectClass,
                });
            }
        }
        if (missing.Count > 0)
            throw new BenchmarkFilesMissingException(
                $"DreamBooth subject folder(s) with no photo under {root}: {string.Join(", ", missing)}. {DownloadHint(root)}", root);
        var warnings = classes.Count == Subjects && objectPrompts.Count == PromptsPerSubject && livePrompts.Count == PromptsPerSubject
            ? []
            : new List<string> { $"DreamBooth has {Subjects} subjects × {PromptsPerSubject} prompts; {promptsPath} lists {classes.Count} subjects, {objectPrompts.Count} object and {livePrompts.Count} live prompts." };
        return new EvalBenchmark("dreambooth", BenchmarkKind.DreamBooth, root, items) { Warnings = warnings };
    }

    /// <summary>Reads the file's three parts: the <c>subject_name,class</c> table, then the object and live prompt lists.</summary>
    internal static (List<(string Subject, string Class)> Classes, List<string> ObjectPrompts, List<string> LivePrompts) Parse(string[] lines, string path)
    {
        var classes = new List<(string, string)>();
        var objectPrompts = new List<string>();
        var livePrompts = new List<string>();
        List<string>? prompts = null;
        var inClasses = false;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("subject_name,class", StringComparison.OrdinalIgnoreCase)) { inClasses = true; continue; }
            if (line.Equals("Prompts", StringComparison.OrdinalIgnoreCase)) { inClasses = false; continue; }
            if (line.StartsWith("Object Prompts", StringComparison.OrdinalIgnoreCase)) { inClasses = false; prompts = objectPrompts; continue; }
            if (line.StartsWith("Live Subject Prompts", StringComparison.OrdinalIgnoreCase)) { inClasses = false; prompts = livePrompts; continue; }
            if (inClasses && line.Split(',') is [var subject, var cls] && subject.Length > 0)
                classes.Add((subject.Trim(), cls.Trim()));
            else if (prompts is not null && PromptLine().Match(line) is { Success: true } m)
                prompts.Add(m.Groups[1].Value);
        }
        if (classes.Count == 0 || objectPrompts.Count == 0 || livePrompts.Count == 0)
            throw new FormatException(
                $"{path} is not DreamBooth's {PromptsFile}: found {classes.Count} subjects, {objectPrompts.Count} object prompts, {livePrompts.Count} live prompts.");
        return (classes, objectPrompts, livePrompts);
    }

    private static bool IsImage(string path) =>
        Path.GetExtension(path).ToLowerInvariant() is ".jpg" or ".jpeg" or ".png" or ".webp";

    [GeneratedRegex(@"^'(.+\{0\} \{1\}.*)'\.format\(")]
    private static partial Regex PromptLine();
}
