namespace NpEdit.ShapesWorld;

/// <summary>
/// A tiny deterministic PRNG (Steele, Lea &amp; Flood 2014, "SplitMix64").
/// ShapesWorld never uses <see cref="System.Random"/> so that a seed means the same scene on every runtime version.
/// </summary>
public struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>Derives an independent stream from a seed and a salt, e.g. (corpus seed, row index).</summary>
    public static SplitMix64 Derive(ulong seed, ulong salt) => new(Mix(seed ^ Mix(salt + 0x9E3779B97F4A7C15UL)));

    /// <summary>The SplitMix64 finaliser: a bijective 64-bit hash.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform integer in [0, maxExclusive); Lemire's multiply-shift, bias below 2^-32 for our small ranges.</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(((NextUInt64() >> 32) * (ulong)maxExclusive) >> 32);
    }

    /// <summary>Uniform integer in [minInclusive, maxExclusive).</summary>
    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    /// <summary>Uniform double in [0, 1) built from 53 random bits (exact, so deterministic).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / 9007199254740992.0);

    public bool Chance(double probability) => NextDouble() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];
}
