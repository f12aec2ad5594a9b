using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NpEdit.Trainer.Critic;

/// <summary>
/// Qwen2's byte-level BPE tokenizer read from a Hugging Face <c>tokenizer.json</c>: added (special) tokens are
/// matched first, the rest is NFC-normalised, split by the pre-tokenizer regex, mapped byte → printable
/// character (GPT-2's table) and merged by rank.
/// </summary>
public sealed class Qwen2Tokenizer : ICriticTokenizer
{
    /// <summary>Qwen2's split pattern, used when the file names none.</summary>
    public const string DefaultPattern =
        @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    static readonly string[] ByteToChar = BuildByteTable();
    static readonly Dictionary<char, byte> CharToByte = ByteToChar.Select((c, b) => (c[0], (byte)b)).ToDictionary(p => p.Item1, p => p.Item2);

    readonly Dictionary<string, long> vocab;
    readonly Dictionary<long, string> tokens;
    readonly Dictionary<(string, string), int> mergeRanks;
    readonly Dictionary<string, long> addedTokens;
    readonly Regex addedPattern;
    readonly Regex splitPattern;
    readonly Dictionary<string, long[]> cache = new(StringComparer.Ordinal);

    Qwen2Tokenizer(Dictionary<string, long> vocab, List<(string, string)> merges, Dictionary<string, long> addedTokens, string pattern, long padTokenId)
    {
        this.vocab = vocab;
        this.addedTokens = addedTokens;
        tokens = vocab.Concat(addedTokens).GroupBy(kv => kv.Value).ToDictionary(g => g.Key, g => g.First().Key);
        mergeRanks = merges.Select((m, i) => (m, i)).GroupBy(p => p.m).ToDictionary(g => g.Key, g => g.First().i);
        addedPattern = new Regex(string.Join("|", addedTokens.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape)), RegexOptions.CultureInvariant);
        splitPattern = new Regex(pattern, RegexOptions.CultureInvariant);
        PadTokenId = padTokenId;
        VocabularySize = (int)(tokens.Keys.Max() + 1);
    }

    /// <summary>Reads <c>tokenizer.json</c> (model.vocab, model.merges as "a b" strings or [a, b] pairs, added_tokens, the Split regex).</summary>
    public static Qwen2Tokenizer FromFile(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Tokenizer file {path} not found; a Qwen2 critic needs the tokenizer.json of its checkpoint.", path);
        var root = JsonNode.Parse(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
        var model = root["model"] ?? throw new InvalidDataException($"{path} has no 'model' section.");
        if ((string?)model["type"] is { } type && type != "BPE")
            throw new InvalidDataException($"{path} holds a {type} model; a Qwen2 tokenizer is BPE.");
        var vocab = model["vocab"]!.AsObject().ToDictionary(kv => kv.Key, kv => (long)kv.Value!);
        var merges = model["merges"]!.AsArray().Select(m => m is JsonArray pair
            ? ((string)pair[0]!, (string)pair[1]!)
            : SplitMerge((string)m!)).ToList();
        var added = (root["added_tokens"]?.AsArray() ?? []).ToDictionary(t => (string)t!["content"]!, t => (long)t!["id"]!);
        var pattern = FindSplitPattern(root["pre_tokenizer"]) ?? DefaultPattern;
        var pad = added.TryGetValue("<|endoftext|>", out var endOfText) ? endOfText : 0;
        return new Qwen2Tokenizer(vocab, merges, added, pattern, pad);
    }

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <inheritdoc />
    public long PadTokenId { get; }

    /// <inheritdoc />
    public long[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<long>();
        var start = 0;
        foreach (Match special in addedTokens.Count > 0 ? addedPattern.Matches(text) : Enumerable.Empty<Match>())
        {
            EncodeOrdinary(text[start..special.Index], ids);
            ids.Add(addedTokens[special.Value]);
            start = special.Index + special.Length;
        }
        EncodeOrdinary(text[start..], ids);
        return [.. ids];
    }

    /// <summary>The text of <paramref name="ids"/>: tokens joined, mapped back to bytes, decoded as UTF-8.</summary>
    public string Decode(IEnumerable<long> ids)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        foreach (var id in ids)
        {
            var token = tokens.TryGetValue(id, out var t) ? t : throw new ArgumentException($"Token id {id} is not in the vocabulary.");
            if (addedTokens.ContainsKey(token))
            {
                text.Append(Encoding.UTF8.GetString([.. bytes]));
                bytes.Clear();
                text.Append(token);
            }
            else
                bytes.AddRange(token.Select(c => CharToByte[c]));
        }
        return text.Append(Encoding.UTF8.GetString([.. bytes])).ToString();
    }

    /// <inheritdoc />
    public long TokenId(string token) =>
        addedTokens.TryGetValue(token, out var added) ? added
        : vocab.TryGetValue(string.Concat(Encoding.UTF8.GetBytes(token).Select(b => ByteToChar[b])), out var id) ? id
        : throw new ArgumentException($"'{token}' is not a single token of this tokenizer.");

    void EncodeOrdinary(string text, List<long> ids)
    {
        if (text.Length == 0)
            return;
        foreach (Match piece in splitPattern.Matches(text.Normalize(NormalizationForm.FormC)))
        {
            if (!cache.TryGetValue(piece.Value, out var pieceIds))
            {
                var symbols = Encoding.UTF8.GetBytes(piece.Value).Select(b => ByteToChar[b]).ToList();
                pieceIds = [.. Merge(symbols).Select(s => vocab.TryGetValue(s, out var id) ? id
                    : throw new InvalidDataException($"The BPE vocabulary lacks '{s}'; the tokenizer file is incomplete."))];
                cache[piece.Value] = pieceIds;
            }
            ids.AddRange(pieceIds);
        }
    }

    /// <summary>Repeatedly merges the adjacent pair of lowest rank (Sennrich et al. 2016).</summary>
    List<string> Merge(List<string> symbols)
    {
        while (symbols.Count > 1)
        {
            var (best, bestRank) = (-1, int.MaxValue);
            for (var i = 0; i + 1 < symbols.Count; i++)
                if (mergeRanks.TryGetValue((symbols[i], symbols[i + 1]), out var rank) && rank < bestRank)
                    (best, bestRank) = (i, rank);
            if (best < 0)
                break;
            symbols[best] += symbols[best + 1];
            symbols.RemoveAt(best + 1);
        }
        return symbols;
    }

    static (string, string) SplitMerge(string merge)
    {
        var space = merge.IndexOf(' ', 1);
        return space < 0 ? throw new InvalidDataException($"Merge '{merge}' is not two symbols.") : (merge[..space], merge[(space + 1)..]);
    }

    static string? FindSplitPattern(JsonNode? node) => node switch
    {
        null => null,
        _ when (string?)node["type"] == "Split" => (string?)node["pattern"]?["Regex"],
        _ when node["pretokenizers"] is JsonArray list => list.Select(FindSplitPattern).FirstOrDefault(p => p is not null),
        _ => null,
    };

    /// <summary>GPT-2's reversible byte → printable character table: printable Latin-1 bytes map to themselves, the rest to U+0100 onwards.</summary>
    static string[] BuildByteTable()
    {
        var table = new string[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            table[b] = ((char)(printable ? b : next++)).ToString(CultureInfo.InvariantCulture);
        }
        return table;
    }
}
