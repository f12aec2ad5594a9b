namespace NpEdit.Trainer.Runtime;

/// <summary>
/// What <c>npedit doctor</c> reports about TorchSharp: whether the natives load and from where, the
/// GLIBCXX patch, threads, CUDA, and the device <c>--device</c> would select. Produced by
/// <see cref="TorchRuntime.Probe"/>, which never throws: failures land in the text fields.
/// </summary>
/// <param name="NativesLoaded">True when libLibTorchSharp and libtorch loaded and a tensor op ran.</param>
/// <param name="NativeError">Why the natives did not load (with what to do), or null.</param>
/// <param name="LibTorchSharpPath">The libLibTorchSharp.so the process mapped (or would load), or null when none was found.</param>
/// <param name="LibTorchPath">The libtorch_cpu.so the process mapped, or null.</param>
/// <param name="LibTorchOverride">The value of NPEDIT_LIBTORCH, or null when unset.</param>
/// <param name="GlibcxxPatch">What the GLIBCXX_3.4.32 patch did to libLibTorchSharp.so, or null when it was not attempted.</param>
/// <param name="GlibcxxPatchDetail">One line about the patch.</param>
/// <param name="OneDnnIsa">The instruction-set cap oneDNN runs under and why (<see cref="OneDnnIsaCap"/>).</param>
/// <param name="Nnpack">Whether ATen's NNPACK path is on (<see cref="NnpackSwitch"/>).</param>
/// <param name="TorchThreads">torch.get_num_threads(), or 0 when the natives did not load.</param>
/// <param name="CudaAvailable">torch.cuda.is_available().</param>
/// <param name="CudaDeviceCount">torch.cuda.device_count(), 0 without CUDA.</param>
/// <param name="CudaDeviceName">The name of CUDA device 0 (from the CUDA runtime), or null when unknown.</param>
/// <param name="CudaDetail">Which libtorch provides CUDA, or why CUDA is unavailable.</param>
/// <param name="SelectedDevice">The device the requested spec selects (e.g. <c>cpu</c>, <c>cuda:0</c>), or null when selection failed.</param>
/// <param name="SelectionReason">Why that device, or why selection failed.</param>
public sealed record RuntimeProbe(
    bool NativesLoaded,
    string? NativeError,
    string? LibTorchSharpPath,
    string? LibTorchPath,
    string? LibTorchOverride,
    ElfPatchOutcome? GlibcxxPatch,
    string GlibcxxPatchDetail,
    string OneDnnIsa,
    string Nnpack,
    int TorchThreads,
    bool CudaAvailable,
    int CudaDeviceCount,
    string? CudaDeviceName,
    string CudaDetail,
    string? SelectedDevice,
    string SelectionReason)
{
    /// <summary>True when the loaded libLibTorchSharp.so carries the weak GLIBCXX_3.4.32 flag (patched now or by an earlier run).</summary>
    public bool PatchApplied => GlibcxxPatch is ElfPatchOutcome.Patched or ElfPatchOutcome.AlreadyWeak;
}
