using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using TorchSharp;

namespace NpEdit.Trainer.Runtime;

/// <summary>
/// Where <c>npedit doctor --check-onednn</c> keeps its <see cref="OneDnnVerdict"/>s: one JSON list per user
/// (<c>$XDG_CACHE_HOME/npedit/onednn-isa.json</c>, else <c>~/.cache/npedit/onednn-isa.json</c>), one entry per machine
/// key, so a home folder shared by several machines keeps each one's verdict.
/// </summary>
public static class OneDnnVerdictStore
{
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The verdict file of this user.</summary>
    public static string DefaultPath
    {
        get
        {
            var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            if (string.IsNullOrWhiteSpace(cache))
                cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cache, "npedit", "onednn-isa.json");
        }
    }

    /// <summary>
    /// What a verdict holds for: the CPU model and its feature flags (a VM may hide some), the TorchSharp build and the
    /// libtorch it loads (<c>NPEDIT_LIBTORCH</c>), since another oneDNN may have other kernels.
    /// </summary>
    public static string MachineKey()
    {
        var (model, flags) = ReadCpuInfo();
        var flagsHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(flags)))[..12];
        var torchSharp = typeof(torch).Assembly.GetName().Version;
        var libtorch = Environment.GetEnvironmentVariable(TorchRuntime.LibTorchVariable);
        return $"{model} | cpu flags {flagsHash} | TorchSharp {torchSharp} | libtorch {(string.IsNullOrWhiteSpace(libtorch) ? "bundled" : libtorch)}";
    }

    /// <summary>Every verdict in <paramref name="path"/>; none when the file does not exist.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a verdict list; the message names it.</exception>
    public static IReadOnlyList<OneDnnVerdict> Load(string path)
    {
        if (!File.Exists(path))
            return [];
        try
        {
            return JsonSerializer.Deserialize<List<OneDnnVerdict>>(File.ReadAllText(path), Json) ?? [];
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a oneDNN verdict list ({ex.Message}); delete it and run 'npedit doctor --check-onednn' again.", ex);
        }
    }

    /// <summary>The verdict for <paramref name="machine"/> in <paramref name="path"/>, or null.</summary>
    /// <exception cref="InvalidDataException">The file is not a verdict list.</exception>
    public static OneDnnVerdict? Find(string path, string machine) =>
        Load(path).LastOrDefault(v => v.Machine == machine);

    /// <summary>Replaces the entry of <paramref name="verdict"/>'s machine, keeping the others; written through a temp file and a rename.</summary>
    /// <exception cref="InvalidDataException">The existing file is not a verdict list (it is left as it is).</exception>
    public static void Save(string path, OneDnnVerdict verdict)
    {
        var verdicts = Load(path).Where(v => v.Machine != verdict.Machine).Append(verdict).ToList();
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(verdicts, Json));
        File.Move(temp, path, overwrite: true);
    }

    static (string Model, string Flags) ReadCpuInfo()
    {
        string model = "unknown CPU", flags = "";
        if (File.Exists("/proc/cpuinfo"))
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                var colon = line.IndexOf(':');
                if (colon < 0)
                    continue;
                var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
                if (name == "model name" && model == "unknown CPU")
                    model = value;
                else if (name == "flags" && flags.Length == 0)
                    flags = value;
                if (model != "unknown CPU" && flags.Length > 0)
                    break;
            }
        return (model, flags);
    }
}
