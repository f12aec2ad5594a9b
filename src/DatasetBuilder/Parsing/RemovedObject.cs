using System.Text.RegularExpressions;

namespace NpEdit.DatasetBuilder.Parsing;

/// <summary>
/// The object a removal instruction names ("remove the red car from the street" → "the red car", "take the vase
/// out of the picture" → "the vase"): the App. E removal question asks whether the edited image still has it.
/// Empty when the instruction has no such phrase (nothing is guessed).
/// </summary>
public static partial class RemovedObject
{
    public static string FromInstruction(string instruction)
    {
        var text = instruction.Trim().TrimEnd('.', '!', ' ');
        var m = TakeOut().Match(text);
        if (!m.Success)
            m = Remove().Match(text);
        if (!m.Success)
            m = Disappear().Match(text);
        return m.Success ? m.Groups["object"].Value.Trim().Trim('"', '\'') : "";
    }

    [GeneratedRegex(@"^(?:please\s+)?(?:take|get|move)\s+(?<object>.+?)\s+out\s+of\s+.+$", RegexOptions.IgnoreCase)]
    private static partial Regex TakeOut();

    [GeneratedRegex(@"^(?:please\s+)?(?:remove|erase|delete|take\s+away|take\s+out|get\s+rid\s+of|eliminate)\s+(?<object>.+?)(?:\s+(?:from|on|in|at|off|inside|under|behind|beside|near|next\s+to)\s+.+)?$",
        RegexOptions.IgnoreCase)]
    private static partial Regex Remove();

    [GeneratedRegex(@"^(?:please\s+)?make\s+(?<object>.+?)\s+(?:disappear|vanish|go\s+away)(?:\s+.+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Disappear();
}
