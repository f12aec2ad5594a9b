using System.Text.Json;
using NpEdit.Trainer.Models;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Saves and loads the scene parser as one safetensors file (TorchSharp.PyBridge, readable from Python) plus
/// <c>&lt;name&gt;.config.json</c> holding <see cref="OracleCheckpointFile"/>; both written through a temp file and a rename.
/// </summary>
public static class OracleCheckpoint
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static string ConfigPath(string weightsPath) => CheckpointFiles.ConfigPath(weightsPath);

    /// <summary>
    /// The trained oracle that ships with the build (committed under <c>src/Evaluator/Oracle/Pretrained/</c> and copied
    /// next to the assemblies), so every machine scores ShapesWorld-Bench with the same instrument without training one.
    /// </summary>
    public static string BundledPath => Path.Combine(AppContext.BaseDirectory, "oracle", "shapesworld-oracle.safetensors");

    /// <summary><paramref name="path"/> when given, else <see cref="BundledPath"/>; a missing bundled file says how to get it back.</summary>
    public static string Resolve(string? path)
    {
        if (!string.IsNullOrEmpty(path)) return Path.GetFullPath(path);
        if (!File.Exists(BundledPath))
            throw new FileNotFoundException(
                $"The bundled oracle {BundledPath} is missing from this build (it is src/Evaluator/Oracle/Pretrained/ in the repository): rebuild, or pass a checkpoint from 'npedit oracle train'.", BundledPath);
        return BundledPath;
    }

    public static void Save(string path, SceneParserNet net, OracleTrainingRecord record) =>
        CheckpointFiles.Save(path, net.state_dict(),
            new OracleCheckpointFile(OracleCheckpointFile.CurrentFormat, net.Config, record), Json);

    public static OracleCheckpointFile ReadConfig(string path)
    {
        var configPath = ConfigPath(path);
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"{configPath} not found; an oracle checkpoint is the .safetensors file written by 'npedit oracle train' plus its .config.json.", configPath);
        var file = JsonSerializer.Deserialize<OracleCheckpointFile>(File.ReadAllText(configPath), Json)
            ?? throw new InvalidDataException($"{configPath} holds no oracle config.");
        return file.Format switch
        {
            OracleCheckpointFile.CurrentFormat => file,
            // Format 1 predates the detail branch: its network has none, but the missing Detail key reads as the default branch.
            OracleCheckpointFile.FirstFormat => file with { Model = file.Model with { Detail = null } },
            _ => throw new InvalidDataException($"{configPath} has format '{file.Format}', expected '{OracleCheckpointFile.CurrentFormat}' or '{OracleCheckpointFile.FirstFormat}'; retrain with 'npedit oracle train'."),
        };
    }

    /// <summary>Rebuilds the network from the config and loads the weights; every key must match.</summary>
    public static SceneParser Load(string path, Device? device = null)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Oracle weights {path} not found; train them with 'npedit oracle train --out {path}'.", path);
        var file = ReadConfig(path);
        var net = new SceneParserNet(file.Model);
        var state = Safetensors.LoadStateDict(path);
        try
        {
            var expected = net.state_dict();
            var misshapen = state.Where(kv => expected.TryGetValue(kv.Key, out var t) && !t.shape.SequenceEqual(kv.Value.shape))
                .Select(kv => $"{kv.Key} [{string.Join(", ", kv.Value.shape)}] (config: [{string.Join(", ", expected[kv.Key].shape)}])").ToArray();
            if (misshapen.Length > 0)
                throw new InvalidDataException($"{path} does not match its config: misshapen [{string.Join(", ", misshapen)}].");
            var (missing, unexpected) = net.load_state_dict(state, strict: false);
            if (missing.Count > 0 || unexpected.Count > 0)
                throw new InvalidDataException($"{path} does not match its config: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}].");
        }
        finally
        {
            foreach (var tensor in state.Values) tensor.Dispose();
        }
        return new SceneParser(net, device);
    }
}
