using System.Text.RegularExpressions;

namespace NpEdit.Trainer.Critic;

/// <summary>
/// Word-level tokenizer for small critics over a closed vocabulary (ShapesWorld words plus the App. E
/// question words). Text is lower-cased and split on anything that is not a letter or digit, so the chat
/// template's spaces and newlines carry no tokens; the chat special tokens keep their own ids.
/// </summary>
public sealed partial class CriticWordTokenizer : ICriticTokenizer
{
    /// <summary>The special tokens, ids 0…4 in this order.</summary>
    public static readonly string[] SpecialTokens = ["<pad>", "<unk>", LlavaChatTemplate.ImageToken, LlavaChatTemplate.ImStart, LlavaChatTemplate.ImEnd];

    const long UnknownId = 1;

    readonly Dictionary<string, long> ids;

    /// <param name="words">Known words (any case; duplicates ignored); ids follow ordinal order after the special tokens.</param>
    public CriticWordTokenizer(IEnumerable<string> words)
    {
        ArgumentNullException.ThrowIfNull(words);
        Words = words.SelectMany(Split).Distinct().Order(StringComparer.Ordinal).ToArray();
        ids = SpecialTokens.Concat(Words).Select((w, i) => (w, (long)i)).ToDictionary(p => p.w, p => p.Item2);
    }

    /// <summary>The known words in id order (id = index + 5).</summary>
    public IReadOnlyList<string> Words { get; }

    /// <inheritdoc />
    public int VocabularySize => ids.Count;

    /// <inheritdoc />
    public long PadTokenId => 0;

    /// <summary>Id of <c>&lt;image&gt;</c>.</summary>
    public long ImageTokenId => ids[LlavaChatTemplate.ImageToken];

    /// <inheritdoc />
    public long[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<long>();
        foreach (var piece in SpecialPattern().Split(text))
        {
            if (ids.TryGetValue(piece, out var special) && piece.StartsWith('<'))
                result.Add(special);
            else
                result.AddRange(Split(piece).Select(w => ids.GetValueOrDefault(w, UnknownId)));
        }
        return [.. result];
    }

    /// <inheritdoc />
    public long TokenId(string token)
    {
        var word = Split(token).SingleOrDefault() ?? token;
        return ids.TryGetValue(word, out var id) ? id
            : throw new ArgumentException($"The critic vocabulary has no token '{token}'; add it to the word list.");
    }

    static IEnumerable<string> Split(string text) =>
        WordPattern().Matches(text).Select(m => m.Value.ToLowerInvariant());

    [GeneratedRegex(@"(<image>|<\|im_start\|>|<\|im_end\|>)")]
    private static partial Regex SpecialPattern();

    [GeneratedRegex(@"[\p{L}\p{Nd}]+")]
    private static partial Regex WordPattern();
}
