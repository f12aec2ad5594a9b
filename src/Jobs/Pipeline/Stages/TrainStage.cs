using Npgsql;
using NpEdit.Core.Tracking;
using NpEdit.Trainer.Runtime;
using NpEdit.Trainer.Training;

namespace NpEdit.Jobs.Pipeline.Stages;

/// <summary>
/// NP-Edit training for a run row: the <see cref="TrainingInputs"/> of the stored config, then
/// <see cref="NpEditRun"/>, resuming from the run folder's newest checkpoint when a previous attempt left one.
/// </summary>
public sealed class TrainStage(NpgsqlDataSource dataSource)
{
    public async Task RunAsync(RunRecord run, CancellationToken ct)
    {
        var config = RunConfig.Of(run);
        var device = TorchRuntime.Initialize(DeviceSpec.Parse(config.Run.Device)).Device;
        using var inputs = await TrainingInputs.LoadAsync(config, device, ct);
        using var trainer = inputs.CreateTrainer();
        var directory = PipelinePaths.RunDirectory(config, run.Id);
        var training = inputs.CreateRun(trainer, directory, new TrainingTracker(run.Id, new MetricStore(dataSource), new ArtifactStore(dataSource)));
        if (NpEditRun.LatestCheckpoint(directory) is not null)
            training.Resume();
        await training.RunAsync((_, _) => { }, ct);
    }
}
