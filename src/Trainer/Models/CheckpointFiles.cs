using System.Text.Json;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>
/// The on-disk pair every model checkpoint uses: <c>x.safetensors</c> (TorchSharp.PyBridge, readable from Python)
/// and <c>x.config.json</c> beside it, because PyBridge 1.4.4 writes no safetensors <c>__metadata__</c>.
/// </summary>
public static class CheckpointFiles
{
    /// <summary>The config file that belongs to a weights file: <c>x.safetensors</c> → <c>x.config.json</c>.</summary>
    public static string ConfigPath(string weightsPath) => Path.ChangeExtension(weightsPath, ".config.json");

    /// <summary>
    /// Writes <paramref name="weights"/> (a module's live state, left untouched) and the config, each through a temp
    /// file and a rename, so a crash never leaves a torn checkpoint.
    /// </summary>
    public static void Save<TConfig>(string path, IEnumerable<KeyValuePair<string, Tensor>> weights, TConfig config, JsonSerializerOptions json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        // The copies and every alias on the way (detach, cpu, contiguous) die with this scope, not with their finalizers.
        using (var scope = NewDisposeScope())
        using (var stream = File.Create(temp))
            Safetensors.SaveStateDict(stream, weights.ToDictionary(kv => kv.Key, kv => kv.Value.detach().cpu().contiguous()));
        var configTemp = ConfigPath(path) + ".tmp";
        File.WriteAllText(configTemp, JsonSerializer.Serialize(config, json));
        File.Move(temp, path, overwrite: true);
        File.Move(configTemp, ConfigPath(path), overwrite: true);
    }
}
