using System.Text.Json.Nodes;
using NpEdit.Core.Config.Training;
using NpEdit.Core.Tracking;
using NpEdit.Jobs.Grids;
using NpEdit.Jobs.Pipeline.Stages;
using NpEdit.Jobs.Tests.Support;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Pretraining;
using NpEdit.Trainer.Training;

namespace NpEdit.Jobs.Tests.Pipeline;

/// <summary>The train stage of an "SFT + ours" run (Table 4) finds the editor its grid's sft run of the same seed trained.</summary>
public sealed class TrainStageEditorFacts : IAsyncLifetime
{
    private readonly JobsDatabase _db = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("npedit-train-editor-");

    public Task InitializeAsync() => _db.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task SftPlusOurs_WaitsForTheFinalSftCheckpoint_ThenStartsFromIt()
    {
        var spec = GridSpec.Load(RepoFiles.Grid("grid-table4-sft.yaml"));
        var overrides = (JsonObject)spec.Overrides.DeepClone();
        overrides["run.output_root"] = Path.Combine(_folder.FullName, "runs");
        overrides["generator.init"] = BundledGInit.BundledPath;
        overrides["critic.checkpoint"] = Path.Combine(_folder.FullName, "no-critic.safetensors");
        spec = spec with { Name = "sft-editor", Overrides = overrides, Seeds = [0] };
        var points = GridExpander.Expand(spec);
        var registered = await new GridStore(_db.DataSource).RegisterAsync(await new GridStore(_db.DataSource).UpsertAsync(spec), spec, points);
        var (sft, ours) = (registered.Single(r => r.Point.After is null).Run, registered.Single(r => r.Point.After is not null).Run);
        var stage = new TrainStage(_db.DataSource);
        var sftConfig = RunConfig.Of(sft);
        var final = NpEditRun.CheckpointName(sftConfig.Schedule.Steps);

        var early = await Assert.ThrowsAsync<InvalidOperationException>(() => stage.RunAsync(ours, CancellationToken.None));
        Assert.Contains($"continues the editor of run {sft.Id} (sft seed=0), whose training has not finished (newest checkpoint: none, final: {final})", early.Message);

        // The sft run's final checkpoint, as its training leaves it (an earlier one is not enough).
        var checkpoints = Path.Combine(PipelinePaths.RunDirectory(sftConfig, sft.Id), "checkpoints");
        foreach (var step in new[] { NpEditRun.CheckpointName(50), final })
        {
            Directory.CreateDirectory(Path.Combine(checkpoints, step));
            await File.WriteAllTextAsync(Path.Combine(checkpoints, step, TrainingCheckpoint.StateFile), "{}");
        }
        var editor = Path.Combine(checkpoints, final, TrainingCheckpoint.GeneratorFile);
        File.Copy(BundledGInit.BundledPath, editor);
        File.Copy(CheckpointFiles.ConfigPath(BundledGInit.BundledPath), CheckpointFiles.ConfigPath(editor));

        // G_init and the sft editor load; the next input, the critic, is the first that is missing.
        var later = await Assert.ThrowsAsync<FileNotFoundException>(() => stage.RunAsync(ours, CancellationToken.None));
        Assert.Contains("critic.checkpoint", later.Message);
        Assert.Equal(EditorReference.ToRun(sft.ConfigHash), RunConfig.Of((await new RunStore(_db.DataSource).GetAsync(ours.Id))!).Generator.InitEditor);
    }
}
