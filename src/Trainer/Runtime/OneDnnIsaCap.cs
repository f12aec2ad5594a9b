using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace NpEdit.Trainer.Runtime;

/// <summary>
/// Caps oneDNN, libtorch's CPU convolution library, at SSE4.1 on x86 CPUs with AVX unless the user chose a cap. On an
/// AMD EPYC (Zen 4) VM, libtorch 2.10's oneDNN computed the oracle's detail-branch convolutions wrongly in fp32 with its
/// AVX, AVX2 and AVX-512 kernels (shape logits up to 5.7 off an fp64 reference, 7 % of argmaxes changed; with AVX-512
/// also NaN weight gradients in 5 of 8 identical training steps); its SSE4.1 kernels match fp64 to 2e-5. Convolutions
/// then run ≈ 1.6× slower (bench/RESULTS.md, "oneDNN on this CPU").
/// </summary>
/// <remarks>
/// oneDNN reads <c>ONEDNN_MAX_CPU_ISA</c> from the C environment once, at its first primitive, so the cap is set with
/// libc's <c>setenv</c> (on Unix, .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only
/// its own copy) before libtorch loads. Set <c>ONEDNN_MAX_CPU_ISA</c> yourself (for example <c>AVX2</c>, after checking
/// that <c>npedit oracle check</c> reads as bench/RESULTS.md records) to choose another cap; it is then left alone.
/// </remarks>
public static class OneDnnIsaCap
{
    /// <summary>oneDNN's variable for the highest instruction set it may use.</summary>
    public const string Variable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>oneDNN's older name for <see cref="Variable"/>, still honoured.</summary>
    public const string LegacyVariable = "DNNL_MAX_CPU_ISA";

    /// <summary>The cap set on x86 CPUs with AVX.</summary>
    public const string Cap = "SSE41";

    /// <summary>Sets the cap where it is needed and not chosen already; returns one line for <c>npedit doctor</c>.</summary>
    public static string Apply()
    {
        var chosen = Environment.GetEnvironmentVariable(Variable) ?? Environment.GetEnvironmentVariable(LegacyVariable);
        if (!string.IsNullOrWhiteSpace(chosen))
            return $"{chosen} (set by the environment)";
        if (!Avx.IsSupported)
            return "not needed: no AVX kernels on this CPU";
        if (!OperatingSystem.IsLinux())
            return $"not set: set {Variable}={Cap} before starting (oneDNN's AVX convolutions are not exact on every CPU)";
        if (SetNativeEnvironment(Variable, Cap, overwrite: 0) != 0)
            return $"not set: setenv failed (errno {Marshal.GetLastPInvokeError()}); set {Variable}={Cap} before starting";
        Environment.SetEnvironmentVariable(Variable, Cap);   // child processes and later reads see it too
        return $"{Cap}: oneDNN's AVX convolutions are not exact on every CPU (set {Variable} to choose another cap)";
    }

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    static extern int SetNativeEnvironment([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
