using Npgsql;
using NpEdit.Core.Tracking;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Generation;
using NpEdit.Evaluator.Storage;
using NpEdit.ShapesWorld.Bench;
using NpEdit.Trainer.Runtime;
using NpEdit.Trainer.Training;

namespace NpEdit.Jobs.Pipeline.Stages;

/// <summary>
/// Runs a trained editor (the newest checkpoint's G_θ) over ShapesWorld-Bench with the run's few-step sampler.
/// The Evaluator's generator skips items already written, so a rerun only finishes what is missing.
/// </summary>
public sealed class GenerateStage(NpgsqlDataSource dataSource)
{
    public const string OutputsTag = "bench.outputs";

    public async Task RunAsync(RunRecord run, CancellationToken ct)
    {
        var config = RunConfig.Of(run);
        var checkpoint = NpEditRun.LatestCheckpoint(PipelinePaths.RunDirectory(config, run.Id))
            ?? throw new FileNotFoundException($"Run {run.Id} finished without a checkpoint in {PipelinePaths.RunDirectory(config, run.Id)}.");
        var benchmark = await LoadBenchAsync(ct);
        var device = TorchRuntime.Initialize(DeviceSpec.Parse(config.Run.Device)).Device;
        var outputs = PipelinePaths.BenchOutputs(run);
        await new EditorGenerator(new EvalStore(dataSource)).GenerateAsync(benchmark,
            new GenerationOptions(Path.Combine(checkpoint, TrainingCheckpoint.GeneratorFile), outputs)
            {
                Steps = config.Schedule.SamplerSteps,
                Seed = config.Run.Seed,
            }, device, ct: ct);
        await new RunStore(dataSource).SetTagAsync(run.Id, OutputsTag, outputs, ct);
    }

    /// <summary>ShapesWorld-Bench v1 from the state folder, written there first if missing.</summary>
    public static async Task<EvalBenchmark> LoadBenchAsync(CancellationToken ct)
    {
        var root = PipelinePaths.BenchRoot;
        var folder = Path.Combine(root, ShapesBench.FolderName(BenchOptions.V1));
        if (!Directory.Exists(folder))
            await ShapesBench.WriteAsync(root, BenchOptions.V1, ct);
        return await ShapesWorldBenchLoader.LoadAsync(folder, ct);
    }
}
