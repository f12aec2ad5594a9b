namespace NpEdit.ShapesWorld;

/// <summary>
/// Scene-seed ranges. Training corpora draw scene seeds with the top bit clear; ShapesWorld-Bench uses seeds with
/// the top bit set, so no corpus, whatever its seed, can ever contain a benchmark scene.
/// </summary>
public static class SeedRanges
{
    public const ulong BenchBit = 1UL << 63;

    /// <summary>The scene seed of row <paramref name="index"/> of the corpus with seed <paramref name="corpusSeed"/>.</summary>
    public static ulong CorpusSceneSeed(ulong corpusSeed, long index) =>
        SplitMix64.Mix(SplitMix64.Mix(corpusSeed) + (ulong)index) & ~BenchBit;

    /// <summary>The scene seed of benchmark item <paramref name="index"/> of benchmark version <paramref name="version"/>.</summary>
    public static ulong BenchSceneSeed(int version, long index) =>
        SplitMix64.Mix(((ulong)version << 40) + (ulong)index) | BenchBit;

    public static bool IsBench(ulong sceneSeed) => (sceneSeed & BenchBit) != 0;

    /// <summary>First index of the oracle's held-out range; training indices stay below it.</summary>
    public const long OracleHeldOutStart = 1L << 40;

    /// <summary>
    /// The scene seed of example <paramref name="index"/> for the evaluation-only ShapesWorld oracle (a scene parser).
    /// Top bit set, so no training corpus can contain it; a distinct domain constant keeps it apart from benchmark
    /// items (the oracle's sampler also skips any seed equal to a benchmark item's, which the hash makes vanishingly rare).
    /// Indices below <see cref="OracleHeldOutStart"/> train the oracle; indices from it on are its held-out test set.
    /// </summary>
    public static ulong OracleSceneSeed(long index) =>
        SplitMix64.Mix(OracleDomain ^ (ulong)index) | BenchBit;

    private const ulong OracleDomain = 0x0AC1E5EED0000000UL;
}
