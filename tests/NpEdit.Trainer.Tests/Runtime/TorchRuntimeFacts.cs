using System.IO.Compression;
using NpEdit.Trainer.Runtime;
using TorchSharp;

namespace NpEdit.Trainer.Tests.Runtime;

public class TorchRuntimeFacts
{
    public TorchRuntimeFacts() => TorchTestEnvironment.Initialize();

    [Fact]
    public void Initialize_LoadsThePatchedOutputCopy_AndTorchRunsAnOp()
    {
        using var x = torch.arange(6, dtype: torch.float32).reshape(2, 3);
        using var y = x.matmul(x.T);

        Assert.Equal(50f, y[1, 1].item<float>());
        var mapped = NativeProcessMap.FindMapped("libLibTorchSharp.so");
        Assert.NotNull(mapped);
        Assert.StartsWith(Path.GetFullPath(AppContext.BaseDirectory), mapped);
        Assert.False(mapped.StartsWith(TorchRuntime.NuGetPackagesRoot(), StringComparison.Ordinal));
        var need = ElfVersionPatcher.ReadVersionNeeds(File.ReadAllBytes(mapped)).Single(n => n.Name == TorchRuntime.GlibcxxVersion);
        Assert.True(need.IsWeak);
    }

    [Fact]
    public void Initialize_LeavesTheNuGetCacheCopyByteForByteAsPackaged()
    {
        var loaded = File.ReadAllBytes(NativeProcessMap.FindMapped("libLibTorchSharp.so")!);
        var cached = TorchTestEnvironment.NuGetLibTorchSharpFiles()
            .Single(f => new FileInfo(f).Length == loaded.Length && PatchedInMemory(f).SequenceEqual(loaded));
        var cachedBytes = File.ReadAllBytes(cached);

        // The cache copy is still strong (unpatched) ...
        Assert.False(ElfVersionPatcher.ReadVersionNeeds(cachedBytes).Single(n => n.Name == TorchRuntime.GlibcxxVersion).IsWeak);
        // ... and identical to the file inside the .nupkg it was extracted from.
        var version = Directory.GetParent(cached)!.Parent!.Parent!.Parent!;
        using var nupkg = ZipFile.OpenRead(Path.Combine(version.FullName, $"torchsharp.{version.Name}.nupkg"));
        using var entry = nupkg.GetEntry("runtimes/linux-x64/native/libLibTorchSharp.so")!.Open();
        using var packaged = new MemoryStream();
        entry.CopyTo(packaged);
        Assert.Equal(packaged.ToArray(), cachedBytes);
    }

    [Fact]
    public void Initialize_SetsThreads_FromTheArgumentElseAllProcessors()
    {
        TorchRuntime.Initialize(DeviceSpec.Cpu, threads: 1);
        Assert.Equal(1, torch.get_num_threads());

        TorchRuntime.Initialize(DeviceSpec.Cpu);
        var expected = int.TryParse(Environment.GetEnvironmentVariable(TorchRuntime.ThreadsVariable), out var n) ? n : Environment.ProcessorCount;
        Assert.Equal(expected, torch.get_num_threads());
    }

    [Fact]
    public void Initialize_Throws_WhenThreadsIsNotPositive()
    {
        var ex = Assert.Throws<TorchRuntimeException>(() => TorchRuntime.Initialize(DeviceSpec.Cpu, threads: 0));
        Assert.Contains("positive", ex.Message);
    }

    [Fact]
    public void Initialize_SelectsTheCpu_WhenCpuIsRequested()
    {
        var selection = TorchRuntime.Initialize(DeviceSpec.Cpu);

        Assert.Equal(DeviceType.CPU, selection.Device.type);
        Assert.Equal(DeviceType.CPU, TorchRuntime.Device.type);
        Assert.Equal("cpu requested", selection.Reason);
    }

    [Fact]
    public void Initialize_AutoPicksCudaWhenItInitializes_ElseTheCpuWithAReason()
    {
        var selection = TorchRuntime.Initialize(DeviceSpec.Auto);
        TorchRuntime.Initialize(DeviceSpec.Cpu);

        if (torch.cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, selection.Device.type);
            Assert.StartsWith("auto: CUDA initialized", selection.Reason);
        }
        else
        {
            Assert.Equal(DeviceType.CPU, selection.Device.type);
            Assert.StartsWith("auto: CPU because", selection.Reason);
        }
    }

    [Fact]
    public void Initialize_ThrowsSayingWhatToDo_WhenTheCudaDeviceIsMissing()
    {
        var index = torch.cuda.is_available() ? torch.cuda.device_count() : 0;

        var ex = Assert.Throws<TorchRuntimeException>(() => TorchRuntime.Initialize(DeviceSpec.Cuda(index)));

        Assert.Contains($"--device cuda:{index}", ex.Message);
        Assert.Contains(torch.cuda.is_available() ? "CUDA_VISIBLE_DEVICES" : TorchRuntime.LibTorchVariable, ex.Message);
        TorchRuntime.Initialize(DeviceSpec.Cpu);
    }

    [Fact]
    public void Probe_ReportsLoadedNativesPatchThreadsAndSelection()
    {
        var probe = TorchRuntime.Probe();

        Assert.True(probe.NativesLoaded, probe.NativeError);
        Assert.Null(probe.NativeError);
        Assert.EndsWith("libLibTorchSharp.so", probe.LibTorchSharpPath);
        Assert.EndsWith("libtorch_cpu.so", probe.LibTorchPath);
        Assert.True(probe.PatchApplied, probe.GlibcxxPatchDetail);
        Assert.Equal(torch.get_num_threads(), probe.TorchThreads);
        Assert.Equal("cpu", probe.SelectedDevice);
        Assert.False(string.IsNullOrWhiteSpace(probe.CudaDetail));
        if (!probe.CudaAvailable)
        {
            Assert.Equal(0, probe.CudaDeviceCount);
            var auto = TorchRuntime.Probe(DeviceSpec.Auto);
            Assert.Equal("cpu", auto.SelectedDevice);
            Assert.Contains(TorchRuntime.LibTorchVariable, auto.SelectionReason);
            var cuda = TorchRuntime.Probe(DeviceSpec.Cuda(0));
            Assert.Null(cuda.SelectedDevice);
            Assert.Contains("not available", cuda.SelectionReason);
        }
    }

    static byte[] PatchedInMemory(string path)
    {
        var bytes = File.ReadAllBytes(path);
        ElfVersionPatcher.MarkWeak(bytes, TorchRuntime.GlibcxxVersion);
        return bytes;
    }
}
