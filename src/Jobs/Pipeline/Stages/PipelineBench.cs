using NpEdit.Evaluator.Benchmarks;
using NpEdit.ShapesWorld.Bench;

namespace NpEdit.Jobs.Pipeline.Stages;

/// <summary>The benchmark the pipeline generates on and judges: ShapesWorld-Bench v1 under <see cref="PipelinePaths.BenchRoot"/>.</summary>
public static class PipelineBench
{
    /// <summary>ShapesWorld-Bench v1 from the state folder, written there first if missing.</summary>
    public static async Task<EvalBenchmark> LoadAsync(CancellationToken ct)
    {
        var root = PipelinePaths.BenchRoot;
        var folder = Path.Combine(root, ShapesBench.FolderName(BenchOptions.V1));
        if (!Directory.Exists(folder))
            await ShapesBench.WriteAsync(root, BenchOptions.V1, ct);
        return await ShapesWorldBenchLoader.LoadAsync(folder, ct);
    }
}
