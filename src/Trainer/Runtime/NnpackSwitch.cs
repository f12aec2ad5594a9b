using System.Runtime.InteropServices;

namespace NpEdit.Trainer.Runtime;

/// <summary>
/// Turns ATen's NNPACK convolution path off where NNPACK cannot initialise. ATen asks NNPACK at every small convolution
/// and, when it failed to start, logs "Could not initialize NNPACK!" each time before using its own convolution: on the
/// AMD EPYC VM of bench/RESULTS.md ("oneDNN on this CPU") one oracle judgement of ShapesWorld-Bench printed 550 such
/// lines. Off, ATen goes straight to the convolution it would have used anyway.
/// </summary>
/// <remarks>
/// TorchSharp binds neither switch, so both are called in the libtorch_cpu the process has loaded (by soname, which also
/// finds a PyTorch install's copy under <c>NPEDIT_LIBTORCH</c>): NNPACK's own <c>nnp_initialize</c>, which reports without
/// logging, and <c>at::globalContext().setUserEnabledNNPACK(false)</c>, a non-virtual member taking the context as its
/// first argument. <c>TORCH_CPP_LOG_LEVEL</c> does not silence the line: libtorch reads it only when Python initialises it.
/// </remarks>
public static class NnpackSwitch
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate int Initialize();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate IntPtr GlobalContext();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate void SetUserEnabled(IntPtr context, [MarshalAs(UnmanagedType.I1)] bool enabled);

    /// <summary>Switches NNPACK off if it cannot initialise; returns one line for <c>npedit doctor</c>. Call after libtorch has loaded.</summary>
    public static string Apply()
    {
        if (!OperatingSystem.IsLinux())
            return "left as libtorch has it (not Linux)";
        if (!NativeLibrary.TryLoad("libtorch_cpu.so", out var torchCpu))
            return "left as libtorch has it (libtorch_cpu.so is not loaded)";
        try
        {
            if (!TryGet<Initialize>(torchCpu, "nnp_initialize", out var initialize))
                return "left as libtorch has it (this libtorch has no NNPACK)";
            var status = initialize();
            if (status == 0)
                return "available";
            if (!TryGet<GlobalContext>(torchCpu, "_ZN2at13globalContextEv", out var context)
                || !TryGet<SetUserEnabled>(torchCpu, "_ZN2at7Context20setUserEnabledNNPACKEb", out var setUserEnabled))
                return $"cannot initialise (status {status}); ATen will log it at small convolutions";
            setUserEnabled(context(), false);
            return $"off: NNPACK cannot initialise on this CPU (status {status}); ATen's own convolutions run";
        }
        finally
        {
            NativeLibrary.Free(torchCpu);   // drops only this reference; libtorch stays loaded
        }
    }

    static bool TryGet<T>(IntPtr library, string symbol, out T function) where T : Delegate
    {
        var found = NativeLibrary.TryGetExport(library, symbol, out var address);
        function = found ? Marshal.GetDelegateForFunctionPointer<T>(address) : null!;
        return found;
    }
}
