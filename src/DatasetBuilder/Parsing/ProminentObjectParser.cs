namespace NpEdit.DatasetBuilder.Parsing;

/// <summary>Reads <c>Output: True/False / Reasoning / Object Name</c> (App. D). True without an object name is a reject.</summary>
public static class ProminentObjectParser
{
    private static readonly Dictionary<string, string> Aliases = new()
    {
        ["output"] = "output", ["answer"] = "output", ["result"] = "output", ["prominent"] = "output", ["final answer"] = "output",
        ["reasoning"] = "reasoning", ["reason"] = "reasoning", ["explanation"] = "reasoning",
        ["object name"] = "object", ["object"] = "object", ["name"] = "object", ["object category"] = "object",
    };

    public static ParseResult<ProminenceVerdict> Parse(string reply)
    {
        var fields = LabeledFields.Extract(reply, Aliases);
        var output = fields.FirstOrDefault(f => f.Label == "output")?.Value;
        if (output is null)
            return ParseResult<ProminenceVerdict>.Reject("no 'Output:' field");
        var word = output.Trim().Trim('*', '"', '\'', '.', ' ').ToLowerInvariant();
        bool? prominent = word.StartsWith("true", StringComparison.Ordinal) || word.StartsWith("yes", StringComparison.Ordinal) ? true
            : word.StartsWith("false", StringComparison.Ordinal) || word.StartsWith("no", StringComparison.Ordinal) ? false
            : null;
        if (prominent is null)
            return ParseResult<ProminenceVerdict>.Reject($"output '{output}' is neither True nor False");
        var reasoning = fields.FirstOrDefault(f => f.Label == "reasoning")?.Value ?? "";
        var name = CleanName(fields.FirstOrDefault(f => f.Label == "object")?.Value ?? "");
        if (prominent == true && ValidityParser.IsMissing(name))
            return ParseResult<ProminenceVerdict>.Reject("True, but no object name");
        return ParseResult<ProminenceVerdict>.Success(new ProminenceVerdict(prominent.Value, reasoning, ValidityParser.IsMissing(name) ? "" : name));
    }

    // 'The object is a "red backpack".' → red backpack
    private static string CleanName(string value)
    {
        var s = LabeledFields.CleanValue(value).TrimEnd('.', ' ');
        var quoted = System.Text.RegularExpressions.Regex.Match(s, "[\"“](?<name>[^\"”]+)[\"”]");
        if (quoted.Success && s.Length > quoted.Length)
            s = quoted.Groups["name"].Value;
        return LabeledFields.CleanValue(s);
    }
}
