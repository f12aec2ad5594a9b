using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using NpEdit.Core.Config;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using NpEdit.Trainer.Pretraining;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.GInit;

/// <summary>
/// A G_init checkpoint written by <c>npedit pretrain t2i</c>, loaded for evaluation: the generator and the
/// pretraining config it was trained with (which scenes it saw, how its own evaluation sampled). Every
/// problem a user can cause (wrong file, no config beside it, a latent-space or mismatched model) is an
/// <see cref="ArgumentException"/> or <see cref="FileNotFoundException"/> that says what to pass instead.
/// </summary>
public sealed class GInitCheckpoint : IDisposable
{
    GInitCheckpoint(DiT dit, ShapesTextEncoder text, GeneratorConfig config, T2IPretrainJobConfig training)
    {
        DiT = dit;
        Text = text;
        Config = config;
        Training = training;
    }

    public DiT DiT { get; }

    public ShapesTextEncoder Text { get; }

    public GeneratorConfig Config { get; }

    /// <summary>The pretraining config stored with the weights; defaults when the checkpoint holds none.</summary>
    public T2IPretrainJobConfig Training { get; }

    public static GInitCheckpoint Load(string path, Device device)
    {
        const string hint = "pass the generator.safetensors of a 'npedit pretrain t2i' run (.npedit/runs/<run-id>/checkpoints/step-N/)";
        if (!File.Exists(path))
            throw new FileNotFoundException($"G_init checkpoint {path} not found; {hint}.", path);
        var configPath = GeneratorCheckpoint.ConfigPath(path);
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"{configPath} not found next to {path}: a G_init checkpoint is the weights plus their .config.json; {hint}.", configPath);
        GeneratorConfig config;
        try
        {
            config = GeneratorCheckpoint.ReadConfig(path);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or NotSupportedException)
        {
            throw new ArgumentException($"{configPath} is not a generator config ({e.Message}); {hint}.", e);
        }
        if (config.DiT is null || config.Text is null || config.Vocabulary is null)
            throw new ArgumentException($"{configPath} is not a generator config (no DiT, text encoder or vocabulary); {hint}.");
        if (config.DiT.InChannels != 3)
            throw new ArgumentException(
                $"{path} generates {config.DiT.InChannels}-channel latents; the G_init evaluation reads pixel-space (3-channel) ShapesWorld generators only.");
        var training = TrainingConfig(config.Training, configPath);
        try
        {
            var (dit, text, _) = GeneratorCheckpoint.Load(path, device);
            return new GInitCheckpoint(dit, text, config, training);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ExternalException)
        {
            throw new ArgumentException($"{path} cannot be loaded as the generator its config describes ({e.Message}); {hint}.", e);
        }
    }

    /// <summary>
    /// The stored pretraining config, resolved against today's defaults. The corpus path is dropped: only the
    /// filters and the evaluation settings matter here, and the corpus folder may be gone.
    /// </summary>
    static T2IPretrainJobConfig TrainingConfig(JsonObject? stored, string source)
    {
        if (stored is null)
            return new T2IPretrainJobConfig();
        var overrides = stored.DeepClone().AsObject();
        (overrides["data"] as JsonObject)?.Remove("corpus");
        try
        {
            return ConfigLoader.Resolve<T2IPretrainJobConfig>(overrides, $"{source} (training)").Value;
        }
        catch (ConfigException e)
        {
            throw new ArgumentException($"The pretraining config stored in {source} does not resolve with this build: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        DiT.Dispose();
        Text.Dispose();
    }
}
