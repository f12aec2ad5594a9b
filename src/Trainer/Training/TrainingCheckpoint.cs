using System.Text.Json;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Optimization;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Training;

/// <summary>
/// A training checkpoint folder: G_θ and A_φ as safetensors (each with the text encoder and its config, so either
/// loads with <see cref="GeneratorCheckpoint.Load"/>), both Adam states (<see cref="IAdamOptimizer.Save"/>: flat
/// safetensors, which also hold a bf16 run's fp32 masters, or TorchSharp's format; either implementation reads
/// both), and <c>trainer.json</c> (step, skipped-step counters). Randomness is counter-based (<see cref="StepSeeds"/>), so
/// the step is the RNG state. The teacher is G_init and is not stored.
/// </summary>
public static class TrainingCheckpoint
{
    public const string GeneratorFile = "generator.safetensors";
    public const string AuxiliaryFile = "auxiliary.safetensors";
    public const string GeneratorOptimizerFile = "generator.optim";
    public const string AuxiliaryOptimizerFile = "auxiliary.optim";
    public const string StateFile = "trainer.json";

    /// <param name="editorConfig">G_θ's config (how it reads text); <paramref name="auxiliaryConfig"/> is A_φ's (G_init's).</param>
    internal static void Save(string directory, NpEditTrainer trainer, IAdamOptimizer generatorOptimizer, IAdamOptimizer auxiliaryOptimizer,
        GeneratorConfig editorConfig, GeneratorConfig auxiliaryConfig)
    {
        Directory.CreateDirectory(directory);
        GeneratorCheckpoint.Save(Path.Combine(directory, GeneratorFile), trainer.Generator, trainer.TextEncoder, editorConfig);
        GeneratorCheckpoint.Save(Path.Combine(directory, AuxiliaryFile), trainer.Auxiliary, trainer.TextEncoder, auxiliaryConfig);
        generatorOptimizer.Save(Path.Combine(directory, GeneratorOptimizerFile));
        auxiliaryOptimizer.Save(Path.Combine(directory, AuxiliaryOptimizerFile));
        var state = new TrainerState(trainer.StepsDone, trainer.Guard.Skipped, trainer.Guard.InARow);
        File.WriteAllText(Path.Combine(directory, StateFile), JsonSerializer.Serialize(state));
    }

    internal static TrainerState Load(string directory, NpEditTrainer trainer, IAdamOptimizer generatorOptimizer, IAdamOptimizer auxiliaryOptimizer)
    {
        var statePath = Path.Combine(directory, StateFile);
        if (!File.Exists(statePath))
            throw new FileNotFoundException($"{directory} is not a training checkpoint (no {StateFile}).", statePath);
        LoadDiT(trainer.Generator, Path.Combine(directory, GeneratorFile));
        LoadDiT(trainer.Auxiliary, Path.Combine(directory, AuxiliaryFile));
        generatorOptimizer.Load(Path.Combine(directory, GeneratorOptimizerFile));
        auxiliaryOptimizer.Load(Path.Combine(directory, AuxiliaryOptimizerFile));
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(statePath))
            ?? throw new InvalidDataException($"{statePath} is empty.");
    }

    /// <summary>Copies the <c>dit.</c> weights of a generator file into an existing DiT (its Parameter objects stay, so optimizers stay valid).</summary>
    public static void LoadDiT(DiT dit, string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint file {path} is missing.", path);
        var state = Safetensors.LoadStateDict(path);
        try
        {
            var part = state.Where(kv => kv.Key.StartsWith("dit.", StringComparison.Ordinal)).ToDictionary(kv => kv.Key[4..], kv => kv.Value);
            var (missing, unexpected) = dit.load_state_dict(part, strict: false);
            if (missing.Count > 0 || unexpected.Count > 0)
                throw new InvalidDataException($"{path} does not fit this DiT: missing [{string.Join(", ", missing)}], unexpected [{string.Join(", ", unexpected)}].");
        }
        finally
        {
            foreach (var tensor in state.Values)
                tensor.Dispose();
        }
    }
}
