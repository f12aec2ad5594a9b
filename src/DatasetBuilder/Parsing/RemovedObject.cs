using System.Text.RegularExpressions;

namespace NpEdit.DatasetBuilder.Parsing;

/// <summary>
/// The object a removal instruction names ("remove the red car from the street" → "the red car"): the App. E
/// removal question asks whether the edited image still has it. Empty when the instruction has no such phrase.
/// </summary>
public static partial class RemovedObject
{
    public static string FromInstruction(string instruction)
    {
        var m = Pattern().Match(instruction.Trim().TrimEnd('.', '!', ' '));
        return m.Success ? m.Groups["object"].Value.Trim().Trim('"', '\'') : "";
    }

    [GeneratedRegex(@"^(?:please\s+)?(?:remove|erase|delete|take\s+out|get\s+rid\s+of)\s+(?<object>.+?)(?:\s+(?:from|on|in|at|off|inside|under|behind|beside|near|next\s+to)\s+.+)?$",
        RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
