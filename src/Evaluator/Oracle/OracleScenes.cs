using NpEdit.ShapesWorld;
using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The oracle's scenes: <see cref="SeedRanges.OracleSceneSeed"/> indices below <see cref="SeedRanges.OracleHeldOutStart"/>
/// for training and from it on for held-out accuracy. Seeds with the top bit set never occur in a training corpus,
/// and any seed that equals a ShapesWorld-Bench v1 item's scene seed is skipped.
/// </summary>
public static class OracleScenes
{
    static readonly Lazy<HashSet<ulong>> BenchSeeds = new(() => ShapesBench.BuildItems(BenchOptions.V1).Select(i => i.SceneSeed).ToHashSet());

    public static (ulong Seed, Scene Scene) Training(long index) => At(index);

    public static (ulong Seed, Scene Scene) HeldOut(long index) => At(SeedRanges.OracleHeldOutStart + index);

    private static (ulong Seed, Scene Scene) At(long index)
    {
        ulong seed = SeedRanges.OracleSceneSeed(index);
        // Step to the next index of the same range on the (hash-unlikely) collision with a benchmark scene.
        while (BenchSeeds.Value.Contains(seed)) seed = SeedRanges.OracleSceneSeed(++index);
        return (seed, SceneSampler.Sample(seed));
    }
}
