using NpEdit.Core.Shards;
using NpEdit.ShapesWorld;

namespace NpEdit.Trainer.Training;

/// <summary>
/// Draws training examples as App. E.1 prescribes: removal with probability p (paper: 25%), every other edit type
/// present uniformly, then the next row of that type's seeded shuffle (reshuffled per epoch). The data-scale
/// ablation (Table 4) keeps a fixed seeded subset of ⌈fraction·N⌉ rows. Every draw is a function of the seed and
/// the <see cref="SamplerCursor"/>, so restoring the cursor restores the stream.
/// </summary>
public sealed class EditBatchSampler
{
    private readonly ulong seed;
    private readonly double removalProbability;
    private readonly Dictionary<string, EditExample[]> byType;
    private readonly string[] otherTypes;
    private readonly bool hasRemoval;

    /// <param name="rows">All dataset rows.</param>
    /// <param name="fraction">Share of rows kept, in (0, 1].</param>
    /// <param name="removalProbability">Probability of drawing a removal sample.</param>
    /// <param name="seed">Seed of the subset, the shuffles and the type draws.</param>
    public EditBatchSampler(IReadOnlyList<EditExample> rows, double fraction, double removalProbability, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(fraction, 0.0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1.0);
        if (rows.Count == 0)
            throw new ArgumentException("The dataset has no rows.", nameof(rows));
        this.seed = (ulong)seed;
        this.removalProbability = removalProbability;
        var keep = (int)Math.Ceiling(fraction * rows.Count);
        Subset = Shuffle(rows.ToArray(), SplitMix64.Derive(this.seed, 0xF4AC)).Take(keep).ToArray();
        byType = Subset.GroupBy(r => r.Sample.EditType)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Shard, StringComparer.Ordinal).ThenBy(r => r.Row).ToArray());
        hasRemoval = byType.ContainsKey(EditType.Remove);
        otherTypes = byType.Keys.Where(k => k != EditType.Remove).OrderBy(k => k, StringComparer.Ordinal).ToArray();
    }

    /// <summary>The rows this run may draw from (the fraction's subset).</summary>
    public IReadOnlyList<EditExample> Subset { get; }

    /// <summary>The sampler's position; set it to resume.</summary>
    public SamplerCursor Cursor { get; set; } = new();

    /// <summary>The next <paramref name="n"/> examples.</summary>
    public IReadOnlyList<EditExample> Next(int n)
    {
        var batch = new EditExample[n];
        for (var i = 0; i < n; i++)
            batch[i] = NextExample();
        return batch;
    }

    private EditExample NextExample()
    {
        var rng = SplitMix64.Derive(seed, (ulong)Cursor.Draws);
        Cursor.Draws++;
        var type = hasRemoval && (otherTypes.Length == 0 || rng.Chance(removalProbability))
            ? EditType.Remove
            : otherTypes[rng.Next(otherTypes.Length)];
        var rows = byType[type];
        var epoch = Cursor.Epoch.GetValueOrDefault(type);
        var position = Cursor.Position.GetValueOrDefault(type);
        if (position >= rows.Length)
            (epoch, position) = (epoch + 1, 0);
        var order = Permutation(rows.Length, SplitMix64.Derive(seed, Hash(type) ^ ((ulong)epoch << 32)));
        var example = rows[order[position]];
        Cursor.Epoch[type] = epoch;
        Cursor.Position[type] = position + 1;
        Cursor.RowsPerShard[example.Shard] = Cursor.RowsPerShard.GetValueOrDefault(example.Shard) + 1;
        return example;
    }

    private static int[] Permutation(int n, SplitMix64 rng) => Shuffle(Enumerable.Range(0, n).ToArray(), rng);

    /// <summary>Fisher–Yates with a SplitMix64 stream (identical on every machine and .NET version).</summary>
    private static T[] Shuffle<T>(T[] items, SplitMix64 rng)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
        return items;
    }

    private static ulong Hash(string text)
    {
        var h = 1469598103934665603UL;  // FNV-1a: stable across processes, unlike string.GetHashCode
        foreach (var ch in text)
            h = (h ^ ch) * 1099511628211UL;
        return h;
    }
}
