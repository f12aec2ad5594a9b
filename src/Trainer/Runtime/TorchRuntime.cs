using System.Runtime.InteropServices;
using System.Text;
using TorchSharp;

namespace NpEdit.Trainer.Runtime;

/// <summary>
/// Sets up TorchSharp's native runtime once per process: the GLIBCXX patch, oneDNN's instruction-set cap
/// (<see cref="OneDnnIsaCap"/>), NNPACK off where it cannot start (<see cref="NnpackSwitch"/>), an optional CUDA
/// libtorch from a PyTorch install (<c>NPEDIT_LIBTORCH</c>), the torch thread count, and the device for
/// <c>--device auto|cpu|cuda[:N]</c>. Call <see cref="Initialize"/> before any other torch call.
/// </summary>
/// <remarks>
/// Why the GLIBCXX patch happens here at run time and not in an MSBuild target: the natives are copied
/// into the output of every project that (transitively) references TorchSharp — the Trainer tests, the
/// <c>npedit</c> CLI in src/Jobs, the Evaluator and its tests — and a build target in the Trainer project
/// would not run for their outputs. Every one of them calls <see cref="Initialize"/> before touching
/// torch, so patching the copy the process is about to load covers them all, including a folder that
/// was shipped elsewhere (e.g. to the GPU machine). The copy is found through the host's own native
/// probing list, patched through a temp file and an atomic rename (never written in place, so the NuGet
/// cache is safe even if the output copy were a hard link to it), and a file inside the NuGet cache is
/// never patched at all. See shared/notes/gpu-and-native.md §2–3.
/// </remarks>
public static class TorchRuntime
{
    /// <summary>Environment variable: the <c>torch/lib</c> folder of a PyTorch install whose libtorch (CUDA) to use.</summary>
    public const string LibTorchVariable = "NPEDIT_LIBTORCH";

    /// <summary>Environment variable: torch intra-op threads (default: all processors).</summary>
    public const string ThreadsVariable = "NPEDIT_TORCH_THREADS";

    /// <summary>The libstdc++ symbol version that TorchSharp 0.107's libLibTorchSharp.so requires but never uses.</summary>
    public const string GlibcxxVersion = "GLIBCXX_3.4.32";

    const string LibTorchSharpFile = "libLibTorchSharp.so";

    // Dependencies first: each library's DT_NEEDED entries then resolve, by soname, to the copies already
    // loaded from NPEDIT_LIBTORCH rather than to the CPU libtorch in the app folder.
    static readonly string[] RequiredLibTorch = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];
    static readonly string[] CudaLibTorch = ["libc10_cuda.so", "libtorch_cuda.so"];
    static readonly string[] LoadOrder = ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"];

    static readonly Lock Gate = new();
    static NativeState? native;
    static string oneDnnIsa = "not applied: the natives have not loaded";
    static string nnpack = "not checked: the natives have not loaded";
    static DeviceSelection? selection;

    /// <summary>The selection made by the last <see cref="Initialize"/>, or null before the first.</summary>
    public static DeviceSelection? Selection => selection;

    /// <summary>The selected torch device.</summary>
    /// <exception cref="InvalidOperationException"><see cref="Initialize"/> has not been called.</exception>
    public static torch.Device Device =>
        selection?.Device ?? throw new InvalidOperationException("TorchRuntime.Initialize has not been called.");

    /// <summary>
    /// Loads the natives (once per process), sets the torch thread count and selects the device.
    /// Safe to call again, e.g. with another spec; the natives are not reloaded.
    /// </summary>
    /// <param name="device">What <c>--device</c> asked for.</param>
    /// <param name="threads">Torch intra-op threads; null means <c>NPEDIT_TORCH_THREADS</c>, else <see cref="Environment.ProcessorCount"/>.</param>
    /// <exception cref="TorchRuntimeException">The natives do not load, the settings are invalid, or the requested CUDA device is unavailable. The message says what to do.</exception>
    public static DeviceSelection Initialize(DeviceSpec device, int? threads = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        lock (Gate)
        {
            EnsureNatives();
            torch.set_num_threads(ResolveThreads(threads));
            selection = Select(device);
            return selection;
        }
    }

    /// <summary>
    /// Reports on the runtime for <c>npedit doctor</c> without throwing. Loads the natives if
    /// <see cref="Initialize"/> has not, but does not change the current selection.
    /// </summary>
    /// <param name="device">The spec to report the selection for; null means the current selection, else <c>auto</c>.</param>
    public static RuntimeProbe Probe(DeviceSpec? device = null)
    {
        lock (Gate)
        {
            var overrideDir = NullIfBlank(Environment.GetEnvironmentVariable(LibTorchVariable));
            try
            {
                EnsureNatives();
            }
            catch (Exception ex)
            {
                return new RuntimeProbe(
                    NativesLoaded: false, NativeError: ex.Message,
                    LibTorchSharpPath: NativeProcessMap.FindMapped(LibTorchSharpFile) ?? FindLibTorchSharp(),
                    LibTorchPath: NativeProcessMap.FindMapped("libtorch_cpu.so"),
                    LibTorchOverride: overrideDir,
                    GlibcxxPatch: null, GlibcxxPatchDetail: "not attempted: the natives did not load",
                    OneDnnIsa: oneDnnIsa, Nnpack: nnpack,
                    TorchThreads: 0,
                    CudaAvailable: false, CudaDeviceCount: 0, CudaDeviceName: null,
                    CudaDetail: "unknown: the natives did not load",
                    SelectedDevice: null, SelectionReason: "no device: the natives did not load");
            }

            var state = native!;
            var cuda = CudaStatus(state);
            string? name = null;
            var cudaDetail = cuda.Detail;
            if (cuda.Available && cuda.Count > 0)
            {
                name = CudaDeviceName.TryGet(0, out var nameError);
                if (name is null)
                    cudaDetail += $" (device name unavailable: {nameError})";
            }

            string? selected;
            string reason;
            if (selection is not null && (device is null || device == selection.Requested))
            {
                (selected, reason) = (selection.Device.ToString(), selection.Reason);
            }
            else
            {
                try
                {
                    var s = Select(device ?? DeviceSpec.Auto);
                    (selected, reason) = (s.Device.ToString(), s.Reason);
                }
                catch (TorchRuntimeException ex)
                {
                    (selected, reason) = (null, ex.Message);
                }
            }

            return new RuntimeProbe(
                NativesLoaded: true, NativeError: null,
                LibTorchSharpPath: NativeProcessMap.FindMapped(LibTorchSharpFile) ?? state.LibTorchSharpPath,
                LibTorchPath: NativeProcessMap.FindMapped("libtorch_cpu.so"),
                LibTorchOverride: state.LibTorchOverride,
                GlibcxxPatch: state.Patch, GlibcxxPatchDetail: state.PatchDetail,
                OneDnnIsa: oneDnnIsa, Nnpack: nnpack,
                TorchThreads: torch.get_num_threads(),
                CudaAvailable: cuda.Available, CudaDeviceCount: cuda.Count, CudaDeviceName: name,
                CudaDetail: cudaDetail,
                SelectedDevice: selected, SelectionReason: reason);
        }
    }

    /// <summary>
    /// The libLibTorchSharp.so that .NET's native probing would load for this app: the first hit in the
    /// host's <c>NATIVE_DLL_SEARCH_DIRECTORIES</c> (built from the app's deps.json), then the usual
    /// output-folder locations. Null when there is none.
    /// </summary>
    public static string? FindLibTorchSharp()
    {
        var dirs = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirs)
            dirs.AddRange(searchDirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        dirs.Add(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"));
        dirs.Add(AppContext.BaseDirectory);
        if (Path.GetDirectoryName(typeof(torch).Assembly.Location) is { Length: > 0 } torchSharpDir)
        {
            dirs.Add(torchSharpDir);
            dirs.Add(Path.Combine(torchSharpDir, "runtimes", "linux-x64", "native"));
        }
        return dirs.Select(d => Path.GetFullPath(Path.Combine(d, LibTorchSharpFile))).FirstOrDefault(File.Exists);
    }

    /// <summary>The NuGet global packages folder (<c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>).</summary>
    public static string NuGetPackagesRoot() =>
        Path.GetFullPath(NullIfBlank(Environment.GetEnvironmentVariable("NUGET_PACKAGES"))
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"));

    static void EnsureNatives()
    {
        if (native is not null)
            return;
        oneDnnIsa = OneDnnIsaCap.Apply();
        if (!OperatingSystem.IsLinux())
        {
            // Only linux-x64 natives are referenced (Directory.Build.props); elsewhere TorchSharp's own probing applies.
            torch.InitializeDeviceType(DeviceType.CPU);
            native = new NativeState(null, null, "not needed: not Linux", null, null);
            return;
        }

        var overrideDir = NullIfBlank(Environment.GetEnvironmentVariable(LibTorchVariable));
        var path = FindLibTorchSharp() ?? throw new TorchRuntimeException(
            $"{LibTorchSharpFile} was not found in the app's native folders (searched the deps.json native paths, " +
            $"{Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native")} and next to TorchSharp.dll). " +
            "Reference the TorchSharp and libtorch-cpu-linux-x64 packages from the app project (or a project it references) and rebuild.");
        var (patch, patchDetail) = PatchGlibcxx(path);

        string? cudaNote = null;
        if (overrideDir is not null)
            cudaNote = PreloadLibTorch(overrideDir);

        try
        {
            NativeLibrary.Load(path);
        }
        catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
        {
            throw new TorchRuntimeException(
                $"Could not load {path}: {ex.Message}. " +
                (overrideDir is null
                    ? "The CPU libtorch should sit next to it (package libtorch-cpu-linux-x64 2.10.0); rebuild the app. "
                    : $"Check that {LibTorchVariable}={overrideDir} is the torch/lib folder of a PyTorch 2.10/2.11 install. ") +
                $"If the message names {GlibcxxVersion}, the patch did not take effect ({patchDetail}).", ex);
        }

        try
        {
            torch.InitializeDeviceType(DeviceType.CPU);
            using var check = torch.ones(2, 2).sum();
            if (check.item<float>() != 4f)
                throw new TorchRuntimeException("TorchSharp loaded but a 2x2 sum did not give 4; the native libraries are mismatched.");
        }
        catch (Exception ex) when (ex is not TorchRuntimeException)
        {
            throw new TorchRuntimeException($"TorchSharp's natives loaded from {path} but the first tensor op failed: {ex.Message}", ex);
        }

        nnpack = NnpackSwitch.Apply();
        native = new NativeState(path, patch, patchDetail, overrideDir, cudaNote);
    }

    /// <summary>Marks GLIBCXX_3.4.32 weak in the app's copy; never touches the NuGet cache.</summary>
    static (ElfPatchOutcome? Outcome, string Detail) PatchGlibcxx(string path)
    {
        ElfVersionNeed[] needs;
        try
        {
            needs = ElfVersionPatcher.ReadVersionNeeds(File.ReadAllBytes(path)).Where(n => n.Name == GlibcxxVersion).ToArray();
        }
        catch (InvalidDataException ex)
        {
            throw new TorchRuntimeException($"{path} is not a readable ELF64 library ({ex.Message}); rebuild the app to restore it.", ex);
        }
        if (needs.Length == 0)
            return (ElfPatchOutcome.NotReferenced, $"not needed: {path} does not require {GlibcxxVersion}");
        if (needs.All(n => n.IsWeak))
            return (ElfPatchOutcome.AlreadyWeak, $"{GlibcxxVersion} already weak in {path}");

        var root = NuGetPackagesRoot() + Path.DirectorySeparatorChar;
        if (path.StartsWith(root, StringComparison.Ordinal))
        {
            if (SystemLibStdCxxProvides(GlibcxxVersion))
                return (null, $"not patched: {path} is in the NuGet cache, and the system libstdc++ has {GlibcxxVersion}");
            throw new TorchRuntimeException(
                $"{LibTorchSharpFile} resolves to the NuGet cache ({path}), which is never patched, and this system's libstdc++ " +
                $"lacks {GlibcxxVersion}. Build the app so the natives are copied into its output folder (the default for an " +
                "executable or test project), then run it from there.");
        }

        try
        {
            var outcome = ElfVersionPatcher.PatchFile(path, GlibcxxVersion);
            return (outcome, outcome == ElfPatchOutcome.Patched
                ? $"{GlibcxxVersion} marked weak in {path}"
                : $"{GlibcxxVersion} already weak in {path} (patched by a concurrent process)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (SystemLibStdCxxProvides(GlibcxxVersion))
                return (null, $"not patched ({ex.Message}), and not needed: the system libstdc++ has {GlibcxxVersion}");
            throw new TorchRuntimeException(
                $"Could not patch {path} ({ex.Message}) and this system's libstdc++ lacks {GlibcxxVersion}. " +
                "Run the app once from a writable copy of its folder (the first run patches it), or on a system with GCC 13's libstdc++.", ex);
        }
    }

    /// <summary>
    /// Loads libtorch from a PyTorch install by full path, dependencies first, before TorchSharp's first
    /// call; LD_LIBRARY_PATH cannot be used because the loader reads it only at process start.
    /// Returns a note when the folder has no CUDA libraries.
    /// </summary>
    static string? PreloadLibTorch(string dir)
    {
        const string findIt = "python -c \"import torch, os; print(os.path.join(os.path.dirname(torch.__file__), 'lib'))\"";
        if (!Directory.Exists(dir))
            throw new TorchRuntimeException($"{LibTorchVariable}={dir} does not exist. Set it to the torch/lib folder of a PyTorch install, as printed by: {findIt}");
        var missing = RequiredLibTorch.Where(f => !File.Exists(Path.Combine(dir, f))).ToArray();
        if (missing.Length > 0)
            throw new TorchRuntimeException(
                $"{LibTorchVariable}={dir} has no {string.Join(", ", missing)}; it must be the torch/lib folder of a PyTorch install, as printed by: {findIt}");

        var loaded = NativeProcessMap.FindMapped("libtorch_cpu.so");
        if (loaded is not null && Path.GetDirectoryName(loaded) != Path.GetFullPath(dir).TrimEnd('/'))
            throw new TorchRuntimeException(
                $"libtorch was already loaded from {loaded} before TorchRuntime.Initialize; call TorchRuntime.Initialize before any other torch call so that {LibTorchVariable} takes effect.");

        var missingCuda = CudaLibTorch.Where(f => !File.Exists(Path.Combine(dir, f))).ToArray();
        foreach (var file in LoadOrder.Where(f => File.Exists(Path.Combine(dir, f))))
        {
            var full = Path.Combine(dir, file);
            try
            {
                NativeLibrary.Load(full);
            }
            catch (Exception ex) when (ex is DllNotFoundException or BadImageFormatException)
            {
                var hint = CudaLibTorch.Contains(file) || missingCuda.Length == 0
                    ? " A CUDA build also needs the NVIDIA driver (libcuda.so.1) and the nvidia-* pip packages (cudart, cublas, cudnn, ...) installed next to torch in site-packages."
                    : "";
                throw new TorchRuntimeException($"Could not load {full} from {LibTorchVariable}: {ex.Message}.{hint} Unset {LibTorchVariable} to use the bundled CPU libtorch.", ex);
            }
        }
        return missingCuda.Length > 0
            ? $"{LibTorchVariable}={dir} has no {string.Join(", ", missingCuda)} (a CPU-only PyTorch build); point it at a CUDA build's torch/lib"
            : null;
    }

    static DeviceSelection Select(DeviceSpec spec)
    {
        var state = native!;
        if (spec.Kind == DeviceKind.Cpu)
            return new DeviceSelection(spec, torch.CPU, "cpu requested");

        var cuda = CudaStatus(state);
        if (spec.Kind == DeviceKind.Cuda)
        {
            if (!cuda.Available)
                throw new TorchRuntimeException($"--device {spec} requested but CUDA is not available: {cuda.Detail}.");
            if (spec.Index >= cuda.Count)
                throw new TorchRuntimeException($"--device {spec} requested but only {cuda.Count} CUDA device(s) are visible (indices 0..{cuda.Count - 1}; check CUDA_VISIBLE_DEVICES).");
            var error = TryInitializeCuda(spec.Index);
            if (error is not null)
                throw new TorchRuntimeException($"--device {spec} requested but CUDA failed to initialize: {error}");
            return new DeviceSelection(spec, new torch.Device(DeviceType.CUDA, spec.Index), $"cuda:{spec.Index} requested; {cuda.Detail}");
        }

        if (!cuda.Available)
            return new DeviceSelection(spec, torch.CPU, $"auto: CPU because {cuda.Detail}");
        var autoError = TryInitializeCuda(0);
        return autoError is null
            ? new DeviceSelection(spec, new torch.Device(DeviceType.CUDA, 0), $"auto: CUDA initialized; {cuda.Detail}")
            : new DeviceSelection(spec, torch.CPU, $"auto: CPU because CUDA failed to initialize: {autoError}");
    }

    static string? TryInitializeCuda(int index)
    {
        try
        {
            torch.InitializeDeviceType(DeviceType.CUDA);
            using var probe = torch.zeros(1, device: new torch.Device(DeviceType.CUDA, index));
            return null;
        }
        catch (Exception ex)
        {
            return ex.Message;
        }
    }

    static (bool Available, int Count, string Detail) CudaStatus(NativeState state)
    {
        bool available;
        try
        {
            available = torch.cuda.is_available();
        }
        catch (Exception ex)
        {
            return (false, 0, $"torch.cuda.is_available() failed: {ex.Message}");
        }
        if (available)
        {
            var count = torch.cuda.device_count();
            var from = NativeProcessMap.FindMapped("libtorch_cuda.so") ?? "libtorch_cuda.so";
            return (count > 0, count, $"{count} CUDA device(s) through {from}");
        }
        if (state.LibTorchOverride is null)
            return (false, 0, $"{LibTorchVariable} is not set and the bundled libtorch is CPU-only; set {LibTorchVariable} to the torch/lib folder of a CUDA PyTorch install to use a GPU");
        if (state.CudaNote is not null)
            return (false, 0, state.CudaNote);
        return (false, 0, $"the CUDA libtorch from {LibTorchVariable}={state.LibTorchOverride} sees no GPU (no NVIDIA driver or no visible device; check nvidia-smi and CUDA_VISIBLE_DEVICES)");
    }

    static int ResolveThreads(int? threads)
    {
        if (threads is { } explicitThreads)
            return explicitThreads > 0 ? explicitThreads : throw new TorchRuntimeException($"Torch threads must be positive, got {explicitThreads}.");
        var text = NullIfBlank(Environment.GetEnvironmentVariable(ThreadsVariable));
        if (text is null)
            return Environment.ProcessorCount;
        return int.TryParse(text, out var n) && n > 0
            ? n
            : throw new TorchRuntimeException($"{ThreadsVariable}={text} is not a positive integer; unset it to use all {Environment.ProcessorCount} processors.");
    }

    static bool SystemLibStdCxxProvides(string version)
    {
        var dirs = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/usr/lib"]);
        var lib = dirs.Select(d => Path.Combine(d, "libstdc++.so.6")).FirstOrDefault(File.Exists);
        if (lib is null)
            return false;
        var needle = Encoding.ASCII.GetBytes(version + "\0");
        return File.ReadAllBytes(lib).AsSpan().IndexOf(needle) >= 0;
    }

    static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    sealed record NativeState(string? LibTorchSharpPath, ElfPatchOutcome? Patch, string PatchDetail, string? LibTorchOverride, string? CudaNote);
}
