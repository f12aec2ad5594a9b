namespace NpEdit.Trainer.Models.Text;

/// <summary>
/// Word-level tokenizer over a closed vocabulary (the ShapesWorld words). Text is lower-cased and split
/// on anything that is not a letter or digit; unknown words map to <see cref="UnkId"/>. Every caption
/// starts with <see cref="BosId"/>, so even the empty (unconditional) caption has one real token and
/// attention never sees a fully masked row.
/// </summary>
public sealed class WordTokenizer
{
    /// <summary>Padding.</summary>
    public const int PadId = 0;

    /// <summary>Unknown word.</summary>
    public const int UnkId = 1;

    /// <summary>Start of caption.</summary>
    public const int BosId = 2;

    const int FirstWordId = 3;

    readonly Dictionary<string, int> ids;

    /// <param name="vocabulary">The known words (any case, duplicates ignored); ids follow ordinal order, so the same words always give the same ids.</param>
    /// <param name="maxTokens">Tokens per caption including BOS; longer captions are truncated.</param>
    public WordTokenizer(IEnumerable<string> vocabulary, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 2);
        MaxTokens = maxTokens;
        Words = vocabulary.SelectMany(Split).Distinct().Order(StringComparer.Ordinal).ToArray();
        ids = Words.Select((w, i) => (w, i)).ToDictionary(p => p.w, p => p.i + FirstWordId);
    }

    /// <summary>The known words in id order (id = index + 3).</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>Embedding rows needed: the words plus PAD, UNK and BOS.</summary>
    public int VocabularySize => Words.Count + FirstWordId;

    /// <summary>Tokens per caption including BOS.</summary>
    public int MaxTokens { get; }

    /// <summary>The ids of one caption: BOS, then one id per word (UNK when unknown), at most <see cref="MaxTokens"/>.</summary>
    public int[] Tokenize(string caption) => Row(caption, w => ids.GetValueOrDefault(w, UnkId));

    /// <summary>BOS, then the id <paramref name="idOf"/> gives each of the caption's first MaxTokens − 1 words.</summary>
    private int[] Row(string caption, Func<string, int> idOf) => [BosId, .. Split(caption ?? "").Take(MaxTokens - 1).Select(idOf)];

    /// <summary>A padded batch: ids (N·MaxTokens, row-major) and the matching real-token mask.</summary>
    public (long[] Ids, bool[] Mask) Batch(IReadOnlyList<string> captions)
    {
        var (ids, mask, _) = Batch(captions, numberUnknownWords: false);
        return (ids, mask);
    }

    /// <summary>
    /// A padded batch as <see cref="Batch(IReadOnlyList{string})"/>; with <paramref name="numberUnknownWords"/> the
    /// k-th distinct unknown word of the batch gets id <see cref="VocabularySize"/> + k instead of UNK, and
    /// <c>Unknown</c> lists those words in that order (empty otherwise).
    /// </summary>
    public (long[] Ids, bool[] Mask, IReadOnlyList<string> Unknown) Batch(IReadOnlyList<string> captions, bool numberUnknownWords)
    {
        var tokenIds = new long[captions.Count * MaxTokens];
        var mask = new bool[captions.Count * MaxTokens];
        var unknown = new List<string>();
        var unknownIds = new Dictionary<string, int>();
        int IdOf(string word)
        {
            if (ids.TryGetValue(word, out var id))
                return id;
            if (!numberUnknownWords)
                return UnkId;
            if (!unknownIds.TryGetValue(word, out id))
            {
                id = VocabularySize + unknown.Count;
                unknownIds.Add(word, id);
                unknown.Add(word);
            }
            return id;
        }
        for (var i = 0; i < captions.Count; i++)
        {
            var row = Row(captions[i], IdOf);
            for (var j = 0; j < row.Length; j++)
            {
                tokenIds[i * MaxTokens + j] = row[j];
                mask[i * MaxTokens + j] = true;
            }
        }
        return (tokenIds, mask, unknown);
    }

    /// <summary>
    /// What this vocabulary loses of <paramref name="texts"/>: their words, how many of them it does not know, and how
    /// many texts have more words than fit after BOS (<see cref="MaxTokens"/>), so their last words are cut.
    /// </summary>
    public (int Words, int Unknown, int Truncated) Coverage(IEnumerable<string> texts)
    {
        var (words, unknown, truncated) = (0, 0, 0);
        foreach (var text in texts)
        {
            var split = SplitWords(text);
            words += split.Count;
            unknown += split.Count(w => !ids.ContainsKey(w));
            truncated += split.Count > MaxTokens - 1 ? 1 : 0;
        }
        return (words, unknown, truncated);
    }

    /// <summary>How <paramref name="text"/> splits into words (lower case), before the vocabulary is consulted.</summary>
    public static IReadOnlyList<string> SplitWords(string text) => [.. Split(text ?? "")];

    static IEnumerable<string> Split(string text)
    {
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0)
                start = i;
            else if (!inWord && start >= 0)
            {
                yield return text[start..i].ToLowerInvariant();
                start = -1;
            }
        }
    }
}
