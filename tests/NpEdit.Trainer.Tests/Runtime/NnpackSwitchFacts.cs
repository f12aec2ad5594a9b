using System.Runtime.InteropServices;
using NpEdit.Trainer.Runtime;

namespace NpEdit.Trainer.Tests.Runtime;

public class NnpackSwitchFacts
{
    public NnpackSwitchFacts() => TorchTestEnvironment.Initialize();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate IntPtr GlobalContext();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    [return: MarshalAs(UnmanagedType.I1)]
    delegate bool UserEnabled(IntPtr context);

    [Fact]
    public void NNPACK_is_off_exactly_when_it_cannot_initialise()
    {
        var line = TorchRuntime.Probe().Nnpack;
        var torchCpu = NativeLibrary.Load("libtorch_cpu.so");
        try
        {
            var context = Marshal.GetDelegateForFunctionPointer<GlobalContext>(NativeLibrary.GetExport(torchCpu, "_ZN2at13globalContextEv"));
            var enabled = Marshal.GetDelegateForFunctionPointer<UserEnabled>(NativeLibrary.GetExport(torchCpu, "_ZNK2at7Context17userEnabledNNPACKEv"));
            Assert.True(line == "available" || line.StartsWith("off:", StringComparison.Ordinal), line);
            Assert.Equal(line == "available", enabled(context()));
        }
        finally
        {
            NativeLibrary.Free(torchCpu);
        }
    }
}
