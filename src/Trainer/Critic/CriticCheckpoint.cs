using System.Text.Json;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Critic;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Critic;

/// <summary>
/// Critic checkpoints. Our own format is one safetensors file (TorchSharp.PyBridge) with HF-layout keys plus
/// <c>&lt;name&gt;.config.json</c> holding the <see cref="CriticConfig"/> in snake case (PyBridge writes no
/// <c>__metadata__</c>). A folder is read as a Hugging Face LLaVA-OneVision checkpoint
/// (<see cref="HfLlavaOnevisionLoader"/>).
/// </summary>
public static class CriticCheckpoint
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>The config file that belongs to a weights file: <c>x.safetensors</c> → <c>x.config.json</c>.</summary>
    public static string ConfigPath(string weightsPath) => CheckpointFiles.ConfigPath(weightsPath);

    /// <summary>Writes weights and config, each through a temp file and a rename.</summary>
    public static void Save(string path, LlavaOnevisionModel model, CriticConfig config) =>
        CheckpointFiles.Save(path, model.state_dict(), config, Json);

    /// <summary>Reads the config next to <paramref name="path"/>.</summary>
    public static CriticConfig ReadConfig(string path)
    {
        var configPath = ConfigPath(path);
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"Critic config {configPath} not found; it is written next to the weights by 'npedit pretrain critic'.", configPath);
        return (JsonSerializer.Deserialize<CriticConfig>(File.ReadAllText(configPath), Json)
                ?? throw new InvalidDataException($"{configPath} holds no critic config.")).Validate();
    }

    /// <summary>
    /// Loads a frozen critic: our safetensors file (with its config side file) or a Hugging Face
    /// LLaVA-OneVision folder. The trainer's entry point.
    /// </summary>
    public static IEditCritic Load(string path, Device? device = null)
    {
        var (model, tokenizer, config) = LoadModel(path, device);
        return new LlavaOnevisionCritic(model, tokenizer, config);
    }

    /// <summary>The model (trainable, not frozen), its tokenizer and config, e.g. to continue pretraining.</summary>
    public static (LlavaOnevisionModel Model, ICriticTokenizer Tokenizer, CriticConfig Config) LoadModel(string path, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
            return HfLlavaOnevisionLoader.Load(path, device);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Critic checkpoint {path} not found: pass a .safetensors file written by 'npedit pretrain critic' or a Hugging Face LLaVA-OneVision folder.", path);

        var config = ReadConfig(path);
        var model = new LlavaOnevisionModel(config.Model);
        var state = Safetensors.LoadStateDict(path);
        try
        {
            var (missing, unexpected) = model.load_state_dict(state, strict: false);
            if (missing.Count > 0 || unexpected.Count > 0)
                throw new InvalidDataException(
                    $"{path} does not match its config: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}].");
        }
        finally
        {
            foreach (var tensor in state.Values)
                tensor.Dispose();
        }
        if (device is not null)
            model.to(device);
        return (model, CreateTokenizer(config, Path.GetDirectoryName(Path.GetFullPath(path))!), config);
    }

    /// <summary>The tokenizer a config names; a BPE tokenizer file is resolved against <paramref name="folder"/>.</summary>
    public static ICriticTokenizer CreateTokenizer(CriticConfig config, string folder) => config.TokenizerKind switch
    {
        "words" => new CriticWordTokenizer(config.Words),
        _ => Qwen2Tokenizer.FromFile(Path.Combine(folder, config.TokenizerFile!)),
    };
}
