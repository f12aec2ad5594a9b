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
}
