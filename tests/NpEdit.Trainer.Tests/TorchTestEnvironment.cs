using NpEdit.Trainer.Runtime;
using TorchSharp;

namespace NpEdit.Trainer.Tests;

/// <summary>Shared set-up for tests that touch TorchSharp: the runtime on the CPU, fp32, a fixed seed.</summary>
internal static class TorchTestEnvironment
{
    /// <summary>Initializes the runtime on the CPU (idempotent) and seeds torch's global generator.</summary>
    public static void Initialize(long seed = 0)
    {
        TorchRuntime.Initialize(DeviceSpec.Cpu);
        torch.manual_seed(seed);
    }

    /// <summary>Every libLibTorchSharp.so of the torchsharp package in the NuGet cache (one per restored version).</summary>
    public static IEnumerable<string> NuGetLibTorchSharpFiles()
    {
        var package = Path.Combine(TorchRuntime.NuGetPackagesRoot(), "torchsharp");
        return Directory.Exists(package)
            ? Directory.GetDirectories(package)
                .Select(v => Path.Combine(v, "runtimes", "linux-x64", "native", "libLibTorchSharp.so"))
                .Where(File.Exists)
            : [];
    }
}
