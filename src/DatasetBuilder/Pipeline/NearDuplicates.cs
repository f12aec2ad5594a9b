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
        // Rows with the same word set are each other's twins (Jaccard 1): only the distinct sets are compared, as
        // sorted word ids, which keeps a generated dataset (many rows repeat an instruction) from going quadratic.
        var wordIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var wordHashes = new List<ulong>();
        var setIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var sets = new List<int[]>();
        var rowsOfSet = new List<int>();
        foreach (var key in instructionKeys)
        {
            var ids = key.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(word =>
            {
                if (!wordIds.TryGetValue(word, out var id))
                {
                    wordIds[word] = id = wordIds.Count;
                    wordHashes.Add(Fnv1a(word));
                }
                return id;
            }).Distinct().Order().ToArray();
            var canonical = string.Join(' ', ids);
            if (setIndex.TryGetValue(canonical, out var index))
                rowsOfSet[index]++;
            else
            {
                setIndex[canonical] = sets.Count;
                sets.Add(ids);
                rowsOfSet.Add(1);
            }
        }

        var hasTwin = rowsOfSet.Select(rows => rows > 1).ToArray();
        var bandsOfSet = new (int Band, ulong Signature)[sets.Count][];
        var buckets = new Dictionary<(int Band, ulong Signature), List<int>>();
        for (var i = 0; i < sets.Count; i++)
        {
            var signature = MinHash(sets[i], wordHashes);
            bandsOfSet[i] = new (int, ulong)[Bands];
            for (var b = 0; b < Bands; b++)
            {
                var key = (b, Combine(signature, b * RowsPerBand, RowsPerBand));
                bandsOfSet[i][b] = key;
                if (!buckets.TryGetValue(key, out var members))
                    buckets[key] = members = [];
                members.Add(i);
            }
        }
        // A set whose twin is already known needs no more checks; any other scans its candidates until it finds one.
        for (var i = 0; i < sets.Count; i++)
        {
            if (hasTwin[i])
                continue;
            foreach (var band in bandsOfSet[i])
            {
                var twin = buckets[band].FirstOrDefault(j => j != i && Jaccard(sets[i], sets[j]) >= jaccard, -1);
                if (twin < 0)
                    continue;
                hasTwin[i] = hasTwin[twin] = true;
                break;
            }
        }
        var rowsWithTwin = Enumerable.Range(0, sets.Count).Where(i => hasTwin[i]).Sum(i => rowsOfSet[i]);
        return (double)rowsWithTwin / instructionKeys.Count;
    }

    /// <summary>|a ∩ b| / |a ∪ b| of two sorted word-id sets.</summary>
    private static double Jaccard(int[] a, int[] b)
    {
        if (a.Length == 0 && b.Length == 0)
            return 1;
        int i = 0, j = 0, common = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                common++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
                i++;
            else
                j++;
        }
        return (double)common / (a.Length + b.Length - common);
    }

    private static ulong[] MinHash(int[] words, List<ulong> wordHashes)
    {
        var signature = new ulong[Bands * RowsPerBand];
        Array.Fill(signature, ulong.MaxValue);
        foreach (var word in words)
        {
            var h = wordHashes[word];
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
