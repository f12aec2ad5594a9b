using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace NpEdit.Trainer.Runtime;

/// <summary>
/// Caps oneDNN, libtorch's CPU convolution library, at SSE4.1 on x86 CPUs with AVX unless the user chose a cap or a
/// check recorded a higher exact one for this machine. On an AMD EPYC (Zen 4) VM, libtorch 2.10's oneDNN computed the
/// oracle's detail-branch convolutions wrongly in fp32 with its AVX, AVX2 and AVX-512 kernels (shape logits up to 5.7
/// off an fp64 reference, 7 % of argmaxes changed; with AVX-512 also NaN weight gradients in 5 of 8 identical training
/// steps); its SSE4.1 kernels match fp64 to 2e-5. Convolutions then run ≈ 1.3–1.6× slower (bench/RESULTS.md, "oneDNN
/// on this CPU").
/// </summary>
/// <remarks>
/// oneDNN reads <c>ONEDNN_MAX_CPU_ISA</c> from the C environment once, at its first primitive, so the cap is set with
/// libc's <c>setenv</c> (on Unix, .NET's <see cref="Environment.SetEnvironmentVariable(string, string)"/> changes only
/// its own copy) before libtorch loads. <c>npedit doctor --check-onednn</c> tries the higher caps in child processes
/// with <see cref="ConvolutionCheck"/> and records the highest exact one for this machine (<see cref="OneDnnVerdictStore"/>);
/// that cap is then used instead. A <c>ONEDNN_MAX_CPU_ISA</c> the user set is left alone.
/// </remarks>
public static class OneDnnIsaCap
{
    /// <summary>oneDNN's variable for the highest instruction set it may use.</summary>
    public const string Variable = "ONEDNN_MAX_CPU_ISA";

    /// <summary>oneDNN's older name for <see cref="Variable"/>, still honoured.</summary>
    public const string LegacyVariable = "DNNL_MAX_CPU_ISA";

    /// <summary>The cap set on x86 CPUs with AVX when no check has recorded a higher exact one.</summary>
    public const string Cap = "SSE41";

    /// <summary>The caps <c>npedit doctor --check-onednn</c> tries and may record, highest first; <c>ALL</c> is no cap.</summary>
    public static readonly IReadOnlyList<string> KnownCaps = ["ALL", "AVX512_CORE", "AVX2", "AVX", Cap];

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

        var (cap, why) = (Cap, $"oneDNN's AVX convolutions are not exact on every CPU; 'npedit doctor --check-onednn' tests the faster ones on this CPU");
        var path = OneDnnVerdictStore.DefaultPath;
        try
        {
            // Every process starts here: without a verdict file, /proc/cpuinfo is not read for the machine key.
            var verdict = File.Exists(path) ? OneDnnVerdictStore.Find(path, OneDnnVerdictStore.MachineKey()) : null;
            // oneDNN ignores a value it does not know and runs uncapped, so only a known cap is taken from the file.
            if (verdict is not null && !KnownCaps.Contains(verdict.Isa))
                why = $"the cap '{verdict.Isa}' recorded in {path} is not one of {string.Join(", ", KnownCaps)}; run 'npedit doctor --check-onednn' again";
            else if (verdict is not null)
                (cap, why) = (verdict.Isa, $"checked exact on this CPU by 'npedit doctor --check-onednn' on {verdict.CheckedAt:yyyy-MM-dd} (worst error {verdict.WorstError:G2} against fp64; {path})");
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            why = $"the recorded check could not be read: {ex.Message}";
        }

        // Overwrite: a variable set to an empty string counts as unset above, but setenv would keep it.
        if (SetNativeEnvironment(Variable, cap, overwrite: 1) != 0)
            return $"not set: setenv failed (errno {Marshal.GetLastPInvokeError()}); set {Variable}={cap} before starting";
        Environment.SetEnvironmentVariable(Variable, cap);   // child processes and later reads see it too
        return $"{cap}: {why} (set {Variable} to choose another cap)";
    }

    [DllImport("libc", EntryPoint = "setenv", SetLastError = true)]
    static extern int SetNativeEnvironment([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
