using System.Runtime.Intrinsics.X86;
using NpEdit.Trainer.Runtime;

namespace NpEdit.Trainer.Tests.Runtime;

public class OneDnnIsaCapFacts
{
    public OneDnnIsaCapFacts() => TorchTestEnvironment.Initialize();

    [Fact]
    public void The_runtime_caps_oneDNN_at_SSE41_on_AVX_CPUs_unless_the_environment_or_a_recorded_check_chose()
    {
        var probe = TorchRuntime.Probe();
        var chosen = Environment.GetEnvironmentVariable(OneDnnIsaCap.Variable);
        if (probe.OneDnnIsa.EndsWith("(set by the environment)", StringComparison.Ordinal))
        {
            Assert.StartsWith(chosen ?? Environment.GetEnvironmentVariable(OneDnnIsaCap.LegacyVariable)!, probe.OneDnnIsa);
        }
        else if (Avx.IsSupported)
        {
            // 'npedit doctor --check-onednn' may have recorded a higher exact cap for this machine.
            var recorded = OneDnnVerdictStore.Find(OneDnnVerdictStore.DefaultPath, OneDnnVerdictStore.MachineKey());
            var expected = recorded?.Isa ?? OneDnnIsaCap.Cap;
            Assert.Equal(expected, chosen);
            Assert.StartsWith($"{expected}: ", probe.OneDnnIsa);
            Assert.Contains(recorded is null ? "--check-onednn' tests the faster ones" : "checked exact on this CPU", probe.OneDnnIsa);
        }
        else
        {
            Assert.Equal((null, "not needed: no AVX kernels on this CPU"), (chosen, probe.OneDnnIsa));
        }
    }
}
