using System.Text.Json;
using TorchSharp;
using TorchSharp.PyBridge;
using NpEdit.Trainer.Models.Text;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>
/// Saves and loads a generator (DiT + text encoder) as one safetensors file (TorchSharp.PyBridge),
/// keys prefixed <c>dit.</c> and <c>text.</c>, readable from Python, plus <c>&lt;name&gt;.config.json</c>
/// next to it holding the resolved <see cref="GeneratorConfig"/>. PyBridge 1.4.4 writes no
/// safetensors <c>__metadata__</c>, hence the side file.
/// </summary>
public static class GeneratorCheckpoint
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The config file that belongs to a weights file: <c>x.safetensors</c> → <c>x.config.json</c>.</summary>
    public static string ConfigPath(string weightsPath) => CheckpointFiles.ConfigPath(weightsPath);

    /// <summary>Writes the weights and the config; each through a temp file and a rename, so a crash never leaves a torn checkpoint.</summary>
    public static void Save(string path, DiT dit, ShapesTextEncoder text, GeneratorConfig config) =>
        CheckpointFiles.Save(path,
            dit.state_dict().Select(kv => KeyValuePair.Create("dit." + kv.Key, kv.Value))
                .Concat(text.state_dict().Select(kv => KeyValuePair.Create("text." + kv.Key, kv.Value))),
            config, Json);

    /// <summary>Reads the config next to <paramref name="path"/>.</summary>
    public static GeneratorConfig ReadConfig(string path) =>
        JsonSerializer.Deserialize<GeneratorConfig>(File.ReadAllText(ConfigPath(path)), Json)
        ?? throw new InvalidDataException($"{ConfigPath(path)} holds no generator config.");

    /// <summary>Rebuilds the DiT and text encoder from the config and loads the weights (strict: every key must match).</summary>
    public static (DiT DiT, ShapesTextEncoder Text, GeneratorConfig Config) Load(string path, Device? device = null)
    {
        var config = ReadConfig(path);
        var dit = new DiT(config.DiT);
        var text = new ShapesTextEncoder(config.Text, config.Vocabulary);
        var state = Safetensors.LoadStateDict(path);
        try
        {
            LoadPart(dit, state, "dit.", path);
            LoadPart(text, state, "text.", path);
        }
        finally
        {
            foreach (var tensor in state.Values)
                tensor.Dispose();
        }
        if (device is not null)
        {
            dit.to(device);
            text.to(device);
        }
        return (dit, text, config);
    }

    /// <summary>
    /// Loads the weights at <paramref name="path"/> into existing modules (e.g. to resume training); the
    /// stored vocabulary must equal the encoder's, or token ids would mean other words.
    /// </summary>
    public static GeneratorConfig LoadInto(string path, DiT dit, ShapesTextEncoder text)
    {
        var config = ReadConfig(path);
        if (!config.Vocabulary.SequenceEqual(text.Tokenizer.Words))
            throw new InvalidDataException($"{path} was trained with another vocabulary ({config.Vocabulary.Count} words, this encoder has {text.Tokenizer.Words.Count}).");
        var state = Safetensors.LoadStateDict(path);
        try
        {
            using var _ = no_grad();
            LoadPart(dit, state, "dit.", path);
            LoadPart(text, state, "text.", path);
        }
        finally
        {
            foreach (var tensor in state.Values)
                tensor.Dispose();
        }
        return config;
    }

    static void LoadPart(nn.Module module, Dictionary<string, Tensor> state, string prefix, string path)
    {
        var part = state.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
        var (missing, unexpected) = module.load_state_dict(part, strict: false);
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException(
                $"{path} does not match its config: missing {prefix}[{string.Join(", ", missing)}], unexpected {prefix}[{string.Join(", ", unexpected)}].");
    }
}
