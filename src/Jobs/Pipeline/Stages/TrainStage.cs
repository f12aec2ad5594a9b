using Npgsql;
using NpEdit.Core.Config.Training;
using NpEdit.Core.Tracking;
using NpEdit.Trainer.Runtime;
using NpEdit.Trainer.Training;

namespace NpEdit.Jobs.Pipeline.Stages;

/// <summary>
/// NP-Edit training for a run row: the <see cref="TrainingInputs"/> of the stored config, then
/// <see cref="NpEditRun"/>, resuming from the run folder's newest checkpoint when a previous attempt left one. A run
/// that continues another run's editor (<see cref="EditorReference"/>) starts from that run's final checkpoint.
/// </summary>
public sealed class TrainStage(NpgsqlDataSource dataSource)
{
    public async Task RunAsync(RunRecord run, CancellationToken ct)
    {
        var config = await WithEditorOfAsync(RunConfig.Of(run), ct);
        var device = TorchRuntime.Initialize(DeviceSpec.Parse(config.Run.Device)).Device;
        using var inputs = await TrainingInputs.LoadAsync(config, device, ct);
        using var trainer = inputs.CreateTrainer();
        var directory = PipelinePaths.RunDirectory(config, run.Id);
        var training = inputs.CreateRun(trainer, directory, new TrainingTracker(run.Id, new MetricStore(dataSource), new ArtifactStore(dataSource)));
        if (NpEditRun.LatestCheckpoint(directory) is not null)
            training.Resume();
        await training.RunAsync((_, _) => { }, ct);
    }

    /// <summary>
    /// <paramref name="config"/> with a <c>generator.init_editor</c> that names another run of the grid
    /// (<see cref="EditorReference"/>) replaced by that run's final generator checkpoint.
    /// </summary>
    async Task<NpEditConfig> WithEditorOfAsync(NpEditConfig config, CancellationToken ct)
    {
        if (EditorReference.RunHash(config.Generator.InitEditor) is not { } hash)
            return config;
        var source = (await new RunStore(dataSource).ListAsync(config.Experiment, ct)).FirstOrDefault(r => r.ConfigHash == hash)
            ?? throw new InvalidOperationException($"generator.init_editor names the run with config hash {hash} in experiment '{config.Experiment}', " +
                                                   "which does not exist; submit the grid again ('npedit grid submit') to register it.");
        var sourceConfig = RunConfig.Of(source);
        var checkpoint = NpEditRun.LatestCheckpoint(PipelinePaths.RunDirectory(sourceConfig, source.Id));
        var final = NpEditRun.CheckpointName(sourceConfig.Schedule.Steps);
        if (checkpoint is null || Path.GetFileName(checkpoint) != final)
            throw new InvalidOperationException($"This run continues the editor of run {source.Id} ({source.Name}), whose training has not finished " +
                                                $"(newest checkpoint: {(checkpoint is null ? "none" : Path.GetFileName(checkpoint))}, final: {final}). " +
                                                "Its train job must succeed first; 'npedit grid submit' queues this run after it.");
        return config with { Generator = config.Generator with { InitEditor = Path.Combine(checkpoint, TrainingCheckpoint.GeneratorFile) } };
    }
}
