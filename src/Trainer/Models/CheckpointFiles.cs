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
    /// Writes the weights and the config, each through a temp file and a rename, so a crash never leaves a torn
    /// checkpoint. Takes ownership of the tensors in <paramref name="state"/> and disposes them.
    /// </summary>
    public static void Save<TConfig>(string path, Dictionary<string, Tensor> state, TConfig config, JsonSerializerOptions json)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
            Safetensors.SaveStateDict(stream, state);
        foreach (var tensor in state.Values)
            tensor.Dispose();
        var configTemp = ConfigPath(path) + ".tmp";
        File.WriteAllText(configTemp, JsonSerializer.Serialize(config, json));
        File.Move(temp, path, overwrite: true);
        File.Move(configTemp, ConfigPath(path), overwrite: true);
    }
}
