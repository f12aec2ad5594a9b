using Npgsql;
using NpEdit.Core.Tracking;
using NpEdit.Evaluator.Generation;
using NpEdit.Evaluator.Storage;
using NpEdit.Trainer.Runtime;

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
        var generator = PipelinePaths.LatestGenerator(config, run.Id)
            ?? throw new FileNotFoundException($"Run {run.Id} finished without a checkpoint in {PipelinePaths.RunDirectory(config, run.Id)}.");
        var benchmark = await PipelineBench.LoadAsync(ct);
        var device = TorchRuntime.Initialize(DeviceSpec.Parse(config.Run.Device)).Device;
        var outputs = PipelinePaths.BenchOutputs(run);
        await new EditorGenerator(new EvalStore(dataSource)).GenerateAsync(benchmark,
            new GenerationOptions(generator, outputs)
            {
                Steps = config.Schedule.SamplerSteps,
                Seed = config.Run.Seed,
            }, device, ct: ct);
        await new RunStore(dataSource).SetTagAsync(run.Id, OutputsTag, outputs, ct);
    }
}
