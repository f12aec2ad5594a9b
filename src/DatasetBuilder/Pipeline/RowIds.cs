using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace NpEdit.DatasetBuilder.Pipeline;

/// <summary>
/// Row identity for exact deduplication: sha256 of (source image hash, normalised instruction), and the looser
/// instruction key (no articles or punctuation) the near-duplicate rate is measured on.
/// </summary>
public static partial class RowIds
{
    public static string Id(string sourceSha256, string instruction) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{sourceSha256}\n{NormalizeInstruction(instruction)}")));

    /// <summary>Lower case, single spaces, no trailing punctuation: "Make the car RED. " = "make the car red".</summary>
    public static string NormalizeInstruction(string instruction) =>
        Spaces().Replace(instruction.Trim().ToLowerInvariant(), " ").TrimEnd('.', '!', ' ');

    /// <summary>Words only, without articles: the unit of the near-duplicate comparison.</summary>
    public static string InstructionKey(string instruction) =>
        string.Join(' ', Words(instruction));

    public static IEnumerable<string> Words(string instruction) =>
        NonWord().Split(instruction.ToLowerInvariant()).Where(w => w.Length > 0 && w is not ("a" or "an" or "the"));

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"[^\p{L}\p{Nd}]+")]
    private static partial Regex NonWord();
}
