namespace NpEdit.DatasetBuilder.Parsing;

/// <summary>
/// Reads <c>Validity / Reasoning / Edited image Caption</c> (App. D). "valid" without a caption, a verdict such as
/// "cannot tell", or no verdict at all is a reject: the row would need a value the model did not give.
/// </summary>
public static class ValidityParser
{
    private static readonly Dictionary<string, string> Aliases = new()
    {
        ["validity"] = "validity", ["valid"] = "validity", ["is valid"] = "validity", ["validity check"] = "validity", ["verdict"] = "validity",
        ["reasoning"] = "reasoning", ["reason"] = "reasoning", ["explanation"] = "reasoning", ["rationale"] = "reasoning",
        ["edited image caption"] = "caption", ["edited caption"] = "caption", ["caption"] = "caption", ["edited image"] = "caption",
        ["edited image description"] = "caption", ["caption of the edited image"] = "caption", ["new caption"] = "caption",
        ["edit type"] = "echo", ["edit instruction"] = "echo", ["instruction"] = "echo", ["type"] = "echo",
    };

    public static ParseResult<ValidityVerdict> Parse(string reply)
    {
        var fields = LabeledFields.Extract(reply, Aliases);
        var verdictText = fields.FirstOrDefault(f => f.Label == "validity")?.Value;
        if (verdictText is null)
            return ParseResult<ValidityVerdict>.Reject("no 'Validity:' field");
        var valid = ReadVerdict(verdictText);
        if (valid is null)
            return ParseResult<ValidityVerdict>.Reject($"validity '{Shorten(verdictText)}' is neither valid nor invalid");
        var reasoning = fields.FirstOrDefault(f => f.Label == "reasoning")?.Value ?? "";
        var caption = fields.FirstOrDefault(f => f.Label == "caption")?.Value ?? "";
        if (valid == false)
            return ParseResult<ValidityVerdict>.Success(new ValidityVerdict(false, reasoning, ""));
        if (IsMissing(caption))
            return ParseResult<ValidityVerdict>.Reject("valid, but no edited image caption");
        return ParseResult<ValidityVerdict>.Success(new ValidityVerdict(true, reasoning, caption.TrimEnd()));
    }

    /// <summary>NA, N/A, none, "-" or nothing: the model gave no caption.</summary>
    public static bool IsMissing(string value) =>
        value.Trim().Trim('.', '"', '\'', '*', ' ').ToLowerInvariant() is "" or "na" or "n/a" or "n.a" or "none" or "-" or "null";

    /// <summary>true for valid/yes/true, false for invalid/not valid/no/false, null otherwise (e.g. "cannot tell").</summary>
    private static bool? ReadVerdict(string text)
    {
        var first = text.Trim().Trim('*', '"', '\'', '.', ' ').ToLowerInvariant();
        if (first.StartsWith("invalid", StringComparison.Ordinal) || first.StartsWith("not valid", StringComparison.Ordinal) ||
            first.StartsWith("no", StringComparison.Ordinal) && (first.Length == 2 || !char.IsLetter(first[2])) ||
            first.StartsWith("false", StringComparison.Ordinal))
            return false;
        if (first.StartsWith("valid", StringComparison.Ordinal) || first.StartsWith("true", StringComparison.Ordinal) ||
            first.StartsWith("yes", StringComparison.Ordinal) && (first.Length == 3 || !char.IsLetter(first[3])))
            return true;
        return null;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
