namespace NpEdit.DatasetBuilder.Pipeline;

/// <summary>
/// The near-duplicate instruction rate: the share of rows whose instruction's word set has Jaccard similarity
/// ≥ a threshold with another row's (same image or not; "change the background to a beach" asked of many images
/// counts). Candidates come from MinHash banding (distilabel's MinHashDedup idea), then each pair is checked exactly.
/// </summary>
public static class NearDuplicates
{
    private const int Bands = 16;
    private const int RowsPerBand = 2;

    public static double Rate(IReadOnlyList<string> instructionKeys, double jaccard)
    {
        if (instructionKeys.Count < 2)
            return 0;
        var sets = instructionKeys.Select(k => k.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal)).ToArray();
        var hasTwin = new bool[sets.Length];
        var buckets = new Dictionary<(int Band, ulong Signature), List<int>>();
        for (var i = 0; i < sets.Length; i++)
        {
            var signature = MinHash(sets[i]);
            for (var b = 0; b < Bands; b++)
            {
                var key = (b, Combine(signature, b * RowsPerBand, RowsPerBand));
                if (!buckets.TryGetValue(key, out var members))
                    buckets[key] = members = [];
                members.Add(i);
            }
        }
        var checkedPairs = new HashSet<(int, int)>();
        foreach (var members in buckets.Values.Where(m => m.Count > 1))
        {
            for (var x = 0; x < members.Count; x++)
            for (var y = x + 1; y < members.Count; y++)
            {
                var (i, j) = (members[x], members[y]);
                if ((hasTwin[i] && hasTwin[j]) || !checkedPairs.Add((i, j)))
                    continue;
                if (Jaccard(sets[i], sets[j]) >= jaccard)
                    hasTwin[i] = hasTwin[j] = true;
            }
        }
        return (double)hasTwin.Count(t => t) / sets.Length;
    }

    public static double Jaccard(HashSet<string> a, HashSet<string> b)
    {
        if (a.Count == 0 && b.Count == 0)
            return 1;
        var common = a.Count(b.Contains);
        return (double)common / (a.Count + b.Count - common);
    }

    private static ulong[] MinHash(HashSet<string> words)
    {
        var signature = new ulong[Bands * RowsPerBand];
        Array.Fill(signature, ulong.MaxValue);
        foreach (var word in words)
        {
            var h = Fnv1a(word);
            for (var k = 0; k < signature.Length; k++)
                signature[k] = Math.Min(signature[k], Mix(h ^ ((ulong)k * 0x9E3779B97F4A7C15UL)));
        }
        return signature;
    }

    private static ulong Combine(ulong[] signature, int start, int count)
    {
        var h = 1469598103934665603UL;
        for (var i = start; i < start + count; i++)
            h = Mix(h ^ signature[i]);
        return h;
    }

    private static ulong Fnv1a(string s)
    {
        var h = 14695981039346656037UL;
        foreach (var c in s)
            h = (h ^ c) * 1099511628211UL;
        return h;
    }

    // SplitMix64's finaliser: a cheap, well-mixed hash permutation per MinHash row.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
