using System.Text;
using System.Text.RegularExpressions;

namespace NpEdit.Core.Prompts;

/// <summary>
/// A versioned prompt read from a <c>src/Core/Prompts</c> file: <c>#</c> header lines, then <c>[system]</c> and <c>[user]</c> sections
/// with <c>{snake_case}</c> placeholders.
/// </summary>
public sealed partial record PromptTemplate(string Name, string? System, string User)
{
    public IReadOnlyList<string> Placeholders => PlaceholderPattern().Matches(User).Select(m => m.Groups[1].Value).Distinct().ToArray();

    /// <summary>The user text with every placeholder filled; throws naming any placeholder left without a value.</summary>
    public string FillUser(IReadOnlyDictionary<string, string> values)
    {
        var missing = Placeholders.Where(p => !values.ContainsKey(p)).ToArray();
        if (missing.Length > 0) throw new ArgumentException($"Prompt {Name} needs values for: {string.Join(", ", missing)}.", nameof(values));
        return PlaceholderPattern().Replace(User, m => values[m.Groups[1].Value]);
    }

    public static PromptTemplate Parse(string name, string text)
    {
        string? system = null;
        var user = new StringBuilder();
        StringBuilder? current = null;
        var systemBuilder = new StringBuilder();
        foreach (var line in text.Replace("\r\n", "\n").Split('\n'))
        {
            if (current is null && line.StartsWith('#')) continue;
            if (line == "[system]") { current = systemBuilder; continue; }
            if (line == "[user]") { current = user; continue; }
            current?.Append(line).Append('\n');
        }
        if (systemBuilder.Length > 0) system = systemBuilder.ToString().Trim();
        if (user.Length == 0) throw new FormatException($"Prompt {name} has no [user] section.");
        return new PromptTemplate(name, system, user.ToString().Trim());
    }

    [GeneratedRegex(@"\{([a-z_]+)\}")]
    private static partial Regex PlaceholderPattern();
}
