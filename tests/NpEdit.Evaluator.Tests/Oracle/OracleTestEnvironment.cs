using NpEdit.Trainer.Runtime;
using TorchSharp;

namespace NpEdit.Evaluator.Tests.Oracle;

/// <summary>Torch on the CPU, fp32, a fixed seed: the set-up every oracle test that touches TorchSharp shares.</summary>
internal static class OracleTestEnvironment
{
    public static void InitializeTorch()
    {
        TorchRuntime.Initialize(DeviceSpec.Cpu);
        torch.manual_seed(0);
    }
}
