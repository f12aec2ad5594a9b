using Npgsql;
using NpEdit.Core.Config.Training;
using NpEdit.Core.Tracking;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Runtime;
using NpEdit.Trainer.Training;

namespace NpEdit.Jobs.Pipeline.Stages;

/// <summary>
/// NP-Edit training for a run row: G_init, the critic and the shards from the stored config, then
/// <see cref="NpEditRun"/>, resuming from the run folder's newest checkpoint when a previous attempt left one.
/// </summary>
public sealed class TrainStage(NpgsqlDataSource dataSource)
{
    public async Task RunAsync(RunRecord run, CancellationToken ct)
    {
        var config = RunConfig.Of(run);
        var device = TorchRuntime.Initialize(DeviceSpec.Parse(config.Run.Device)).Device;
        var init = GeneratorCheckpoint.Load(RequireFile(config.Generator.Init, "generator.init"));
        DiT? editor = null;
        if (config.Generator.InitEditor.Length > 0)
        {
            var sft = GeneratorCheckpoint.Load(RequireFile(config.Generator.InitEditor, "generator.init_editor"));
            sft.Text.Dispose();
            editor = sft.DiT;
        }
        // The critic is needed only when L_VLM is part of the objective (Table 3's only-DMD and SFT rows have none).
        using var critic = config.Loss.Objective is Objective.OnlyDmd or Objective.Sft
            ? null
            : CriticCheckpoint.Load(RequireFile(config.Critic.Checkpoint, "critic.checkpoint"), device);
        EditBatchSampler? sampler = null;
        GroundTruthPairs? pairs = null;
        if (config.Loss.Objective == Objective.Sft)
            pairs = new GroundTruthPairs(config.Data.SftCorpusSeed);
        else
        {
            var dataset = await EditDataset.LoadAsync(config.Data.Shards, ct);
            sampler = new EditBatchSampler(dataset.Rows, config.Data.Fraction, config.Data.RemovalProbability, config.Data.Seed);
        }

        using var trainer = new NpEditTrainer(config, init, critic, device, editor);
        init.DiT.Dispose();
        init.Text.Dispose();
        editor?.Dispose();
        var directory = PipelinePaths.RunDirectory(config, run.Id);
        var tracker = new TrainingTracker(run.Id, new MetricStore(dataSource), new ArtifactStore(dataSource));
        var training = new NpEditRun(config, trainer, sampler, pairs, directory, tracker);
        if (NpEditRun.LatestCheckpoint(directory) is not null)
            training.Resume();
        await training.RunAsync((_, _) => { }, ct);
    }

    internal static string RequireFile(string path, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new FileNotFoundException($"{key} is empty in the run's config; set it in the grid or experiment file.");
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"{key} '{path}' does not exist (relative paths are from {Environment.CurrentDirectory}).", path);
        return path;
    }
}
