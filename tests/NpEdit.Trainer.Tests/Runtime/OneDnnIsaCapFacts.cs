using System.Runtime.Intrinsics.X86;
using NpEdit.Trainer.Runtime;

namespace NpEdit.Trainer.Tests.Runtime;

public class OneDnnIsaCapFacts
{
    public OneDnnIsaCapFacts() => TorchTestEnvironment.Initialize();

    [Fact]
    public void The_runtime_caps_oneDNN_at_SSE41_on_AVX_CPUs_unless_the_environment_chose()
    {
        var probe = TorchRuntime.Probe();
        var chosen = Environment.GetEnvironmentVariable(OneDnnIsaCap.Variable);
        if (probe.OneDnnIsa.EndsWith("(set by the environment)", StringComparison.Ordinal))
            Assert.StartsWith(chosen ?? Environment.GetEnvironmentVariable(OneDnnIsaCap.LegacyVariable)!, probe.OneDnnIsa);
        else if (Avx.IsSupported)
            Assert.Equal((OneDnnIsaCap.Cap, true), (chosen, probe.OneDnnIsa.StartsWith(OneDnnIsaCap.Cap, StringComparison.Ordinal)));
        else
            Assert.Equal((null, "not needed: no AVX kernels on this CPU"), (chosen, probe.OneDnnIsa));
    }
}
