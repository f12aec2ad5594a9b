namespace NpEdit.DatasetBuilder.Parsing;

/// <summary>
/// Reads the reply to the App. D instruction-generation prompt: items of <c>Instruction:</c> and <c>Type:</c>
/// (in either order, bulleted, bold, numbered, with reasoning lines between), or lines labelled by the type itself
/// (<c>**Color change**: make the car red</c>). An item without a readable type is dropped, never guessed.
/// </summary>
public static class InstructionListParser
{
    /// <summary>The prompt asks for 4 instructions per image (App. D).</summary>
    public const int PerImage = 4;

    private static readonly Dictionary<string, string> Aliases = new()
    {
        ["instruction"] = "instruction", ["edit instruction"] = "instruction", ["editing instruction"] = "instruction",
        ["type"] = "type", ["edit type"] = "type", ["editing type"] = "type", ["category"] = "type", ["edit category"] = "type",
        ["reasoning"] = "reasoning", ["reason"] = "reasoning", ["explanation"] = "reasoning", ["rationale"] = "reasoning",
        ["example"] = "example",
    };

    public static ParseResult<InstructionProposal> Parse(string reply)
    {
        var fields = LabeledFields.Extract(reply, Aliases, TypeLabel);
        var items = new List<ProposedInstruction>();
        var dropped = new List<string>();
        string? instruction = null, type = null, typeText = null;
        foreach (var field in fields)
        {
            switch (field.Label)
            {
                case "instruction":
                    if (instruction is not null) Flush();
                    instruction = field.Value;
                    break;
                case "type":
                    if (typeText is not null) Flush();
                    typeText = field.Value;
                    type = EditTypeLabels.Parse(field.Value);
                    break;
                case "example":
                    Flush();
                    break;
                case "reasoning":
                    break;
                default:
                    // A line labelled by the edit type itself: "Color change: make the car red".
                    Flush();
                    (instruction, typeText, type) = (field.Value, field.Label[5..], field.Label[5..]);
                    Flush();
                    break;
            }
        }
        Flush();
        if (items.Count == 0)
            return ParseResult<InstructionProposal>.Reject(dropped.Count > 0
                ? $"no usable instruction ({string.Join("; ", dropped)})"
                : "no 'Instruction:' / 'Type:' items found");
        return ParseResult<InstructionProposal>.Success(new InstructionProposal(items.Take(PerImage).ToList(), dropped));

        void Flush()
        {
            if (instruction is null && typeText is null)
                return;
            var text = TrimInstruction(instruction ?? "");
            if (text.Length == 0)
                dropped.Add($"type '{typeText}' without an instruction");
            else if (type is null)
                dropped.Add(typeText is null ? $"'{text}' has no type" : $"'{text}' has an unknown type '{typeText}'");
            else if (items.Any(i => Pipeline.RowIds.NormalizeInstruction(i.Instruction) == Pipeline.RowIds.NormalizeInstruction(text)))
                dropped.Add($"'{text}' repeated");
            else
                items.Add(new ProposedInstruction(text, type));
            (instruction, type, typeText) = (null, null, null);
        }
    }

    /// <summary>Field labels that name an edit type, e.g. "color change", come back as "type:color".</summary>
    private static string? TypeLabel(string label) => EditTypeLabels.Parse(label) is { } type ? $"type:{type}" : null;

    private static string TrimInstruction(string text) => LabeledFields.CleanValue(text.TrimEnd('.', ' ').Trim());
}
