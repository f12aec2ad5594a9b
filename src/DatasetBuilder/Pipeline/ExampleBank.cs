using System.Reflection;
using NpEdit.Core.Shards;
using NpEdit.DatasetBuilder.Parsing;

namespace NpEdit.DatasetBuilder.Pipeline;

/// <summary>
/// Our bank of hand-written good examples, at least five per edit type (<c>Examples/good-examples.v1.tsv</c>).
/// App. D fills the instruction-generation prompt with one example per type drawn at random; the draw is seeded
/// by the dataset seed and the image, so a rerun sends the identical prompt and hits the reply cache.
/// </summary>
public sealed class ExampleBank
{
    public const string Version = "examples/v1";
    public const int MinPerType = 5;

    private readonly Dictionary<string, string[]> _byType;

    private ExampleBank(Dictionary<string, string[]> byType) => _byType = byType;

    public static ExampleBank Default { get; } = Parse(ReadResource("good-examples.v1.tsv"));

    public IReadOnlyList<string> For(string type) => _byType[type];

    public static ExampleBank Parse(string text)
    {
        var byType = EditType.Local.ToDictionary(t => t, _ => new List<string>());
        var lineNumber = 0;
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var tab = line.IndexOf('\t');
            if (tab <= 0 || !byType.TryGetValue(line[..tab], out var list))
                throw new FormatException($"Example bank line {lineNumber} is not '<edit type>\\t<instruction>' with a type from {string.Join(", ", EditType.Local)}.");
            list.Add(line[(tab + 1)..].Trim());
        }
        var thin = byType.Where(kv => kv.Value.Count < MinPerType).Select(kv => kv.Key).ToList();
        if (thin.Count > 0)
            throw new FormatException($"The example bank needs at least {MinPerType} examples per type; too few for: {string.Join(", ", thin)}.");
        return new ExampleBank(byType.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
    }

    /// <summary>The prompt's <c>{color_example}</c> … <c>{text_example}</c> values, one drawn example per type.</summary>
    public Dictionary<string, string> Draw(Random rng) => EditType.Local.ToDictionary(
        type => $"{PlaceholderStem(type)}_example",
        type => $"\n- Instruction: {_byType[type][rng.Next(_byType[type].Length)]}\n- Type: {EditTypeLabels.PaperName(type)}");

    // The prompt file names the placeholders after its own type names (adjust, bg).
    private static string PlaceholderStem(string type) => type switch
    {
        EditType.Shape => "adjust",
        EditType.Background => "bg",
        _ => type,
    };

    internal static string ReadResource(string name)
    {
        using var stream = OpenResource(name);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    internal static Stream OpenResource(string name) =>
        Assembly.GetExecutingAssembly().GetManifestResourceStream($"examples/{name}")
        ?? throw new InvalidOperationException($"Embedded resource examples/{name} is missing; check NpEdit.DatasetBuilder.csproj.");
}
