using NpEdit.Evaluator.Oracle;
using NpEdit.Trainer.Runtime;
using TorchSharp;

namespace NpEdit.Evaluator.Tests.Oracle;

/// <summary>Torch on the CPU for oracle tests, and the committed small oracle checkpoint (loaded once per test run).</summary>
internal static class OracleTestEnvironment
{
    /// <summary>The checkpoint written by <c>npedit oracle train</c> and committed next to these tests (see the README there).</summary>
    public static string CheckpointPath => Path.Combine(AppContext.BaseDirectory, "Oracle", "Checkpoint", "shapesworld-oracle.safetensors");

    static readonly Lazy<SceneParser> Committed = new(() =>
    {
        InitializeTorch();
        return OracleCheckpoint.Load(CheckpointPath);
    });

    public static SceneParser Parser => Committed.Value;

    public static void InitializeTorch()
    {
        TorchRuntime.Initialize(DeviceSpec.Cpu);
        torch.manual_seed(0);
    }
}
