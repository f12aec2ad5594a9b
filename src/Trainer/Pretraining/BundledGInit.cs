using System.Runtime.InteropServices;
using System.Text.Json;
using NpEdit.Trainer.Models;

namespace NpEdit.Trainer.Pretraining;

/// <summary>
/// The G_init that ships with the build: shapes-s pretrained on a GPU (experiments/e002-pretrain-shapes-s-gpu.yaml;
/// its numbers in bench/RESULTS.md, G_init section), committed under <c>src/Trainer/Pretraining/Pretrained/</c> and
/// copied next to the assemblies as the oracle is. The full demo initialises the editor, its DMD teacher and A_φ from
/// it instead of pretraining a weaker one on the CPU.
/// </summary>
public static class BundledGInit
{
    /// <summary>The weights' file name; its config is <c>shapes-s-g-init.config.json</c> beside it.</summary>
    public const string FileName = "shapes-s-g-init.safetensors";

    /// <summary>Where the build puts it: <c>g-init/</c> next to the assemblies.</summary>
    public static string BundledPath => Path.Combine(AppContext.BaseDirectory, "g-init", FileName);

    /// <summary>
    /// Loads <paramref name="path"/> as a generator once and returns its config, so a missing side file or weights
    /// that do not match their config are found before anything trains from them.
    /// </summary>
    /// <exception cref="FileNotFoundException">The weights or their <c>.config.json</c> are missing.</exception>
    /// <exception cref="InvalidDataException">The files are there but are not a pixel-space G_init (the message says why).</exception>
    public static GeneratorConfig Verify(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"G_init weights {path} not found.", path);
        var configPath = GeneratorCheckpoint.ConfigPath(path);
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"{configPath} not found next to {path}: a G_init is the weights plus their .config.json.", configPath);
        try
        {
            var stored = GeneratorCheckpoint.ReadConfig(path);
            if (stored.DiT is null || stored.Text is null || stored.Vocabulary is null)
                throw new InvalidDataException($"{configPath} names no DiT, text encoder or vocabulary");
            if (stored.DiT.InChannels != 3)
                throw new InvalidDataException($"it generates {stored.DiT.InChannels}-channel latents, not ShapesWorld pixels");
            var (dit, text, config) = GeneratorCheckpoint.Load(path);
            dit.Dispose();
            text.Dispose();
            return config;
        }
        catch (Exception e) when (e is InvalidDataException or JsonException or IOException or ExternalException or ArgumentException)
        {
            throw new InvalidDataException($"{path} is not a usable G_init: {e.Message}", e);
        }
    }
}
