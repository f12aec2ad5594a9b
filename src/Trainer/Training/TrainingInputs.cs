using NpEdit.Core.Config.Training;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Training;

/// <summary>
/// What NP-Edit training reads before its first step, from the resolved config: G_init, the SFT editor
/// ("SFT + ours", Table 4) when <c>generator.init_editor</c> is set, the frozen critic only when the objective
/// has L_VLM (Table 3's only-DMD and the SFT baseline have none), and the data (edit rows, or ground-truth pairs
/// for <c>objective: sft</c>). Owns every model it loads; <c>npedit train</c> and the pipeline's train stage both
/// start here.
/// </summary>
public sealed class TrainingInputs : IDisposable
{
    private readonly NpEditConfig config;
    private readonly Device device;
    private (DiT DiT, ShapesTextEncoder Text, GeneratorConfig Config)? init;
    private DiT? editor;

    private TrainingInputs(NpEditConfig config, Device device)
    {
        this.config = config;
        this.device = device;
    }

    /// <summary>The frozen VLM critic on the training device; null when the objective does not use L_VLM.</summary>
    public IEditCritic? Critic { get; private set; }

    /// <summary>The edit rows of <c>data.shards</c>; null for <c>objective: sft</c>.</summary>
    public EditDataset? Dataset { get; private set; }

    /// <summary>Batches of <see cref="Dataset"/>'s <c>data.fraction</c> subset; null for <c>objective: sft</c>.</summary>
    public EditBatchSampler? Sampler { get; private set; }

    /// <summary>Ground-truth pairs; only for <c>objective: sft</c>.</summary>
    public GroundTruthPairs? Pairs { get; private set; }

    /// <summary>Only objectives with an L_VLM term read the critic.</summary>
    private static bool NeedsCritic(Objective objective) => objective is Objective.Full or Objective.OnlyVlm;

    /// <summary>Loads every input of <paramref name="config"/>; a missing or empty path fails naming its config key.</summary>
    public static async Task<TrainingInputs> LoadAsync(NpEditConfig config, Device device, CancellationToken ct = default)
    {
        var inputs = new TrainingInputs(config, device);
        try
        {
            inputs.init = GeneratorCheckpoint.Load(RequireFile(config.Generator.Init, "generator.init"));
            if (config.Generator.InitEditor.Length > 0)
            {
                if (EditorReference.Variant(config.Generator.InitEditor) is not null || EditorReference.RunHash(config.Generator.InitEditor) is not null)
                    throw new ArgumentException($"generator.init_editor '{config.Generator.InitEditor}' names another grid run's editor, which only a grid's " +
                                                "train job resolves ('npedit grid submit'); outside a grid give the checkpoint's path.");
                var sft = GeneratorCheckpoint.Load(RequireFile(config.Generator.InitEditor, "generator.init_editor"));
                sft.Text.Dispose();
                inputs.editor = sft.DiT;
            }
            if (NeedsCritic(config.Loss.Objective))
                inputs.Critic = CriticCheckpoint.Load(RequireFile(config.Critic.Checkpoint, "critic.checkpoint"), device);
            if (config.Loss.Objective == Objective.Sft)
                inputs.Pairs = new GroundTruthPairs(config.Data.SftCorpusSeed);
            else
            {
                inputs.Dataset = await EditDataset.LoadAsync(config.Data.Shards, ct);
                inputs.Sampler = new EditBatchSampler(inputs.Dataset.Rows, config.Data.Fraction, config.Data.RemovalProbability, config.Data.Seed);
            }
            return inputs;
        }
        catch
        {
            inputs.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The trainer over these inputs. It copies G_init and the editor, so their loaded weights are freed here;
    /// the critic stays owned by this object and must outlive the trainer.
    /// </summary>
    public NpEditTrainer CreateTrainer()
    {
        var loaded = init ?? throw new InvalidOperationException("The trainer was already created from these inputs.");
        var trainer = new NpEditTrainer(config, loaded, Critic, device, editor);
        ReleaseGenerators();
        return trainer;
    }

    /// <summary>The training loop around <paramref name="trainer"/> with this config's data.</summary>
    public NpEditRun CreateRun(NpEditTrainer trainer, string directory, TrainingTracker? tracker) =>
        new(config, trainer, Sampler, Pairs, directory, tracker);

    public void Dispose()
    {
        ReleaseGenerators();
        Critic?.Dispose();
        Critic = null;
    }

    private void ReleaseGenerators()
    {
        init?.DiT.Dispose();
        init?.Text.Dispose();
        init = null;
        editor?.Dispose();
        editor = null;
    }

    private static string RequireFile(string path, string key)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new FileNotFoundException($"{key} is empty; set it in the experiment file or grid, or with --set {key}=PATH.");
        if (!File.Exists(path) && !Directory.Exists(path))
            throw new FileNotFoundException($"{key} '{path}' does not exist (relative paths are from {Environment.CurrentDirectory}).", path);
        return path;
    }
}
