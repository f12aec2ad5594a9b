using NpEdit.Jobs.Demo;
using NpEdit.Testing;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Pretraining;
using NpEdit.Trainer.Runtime;

namespace NpEdit.Jobs.Tests.Demo;

/// <summary>The full demo's G_init from the bundle: a tiny real checkpoint stands in for the bundled shapes-s one.</summary>
public sealed class DemoGInitFacts : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly List<string> _said = [];

    public DemoGInitFacts() => TorchRuntime.Initialize(DeviceSpec.Cpu);

    public void Dispose() => _dir.Dispose();

    private DemoPaths Paths => new(Path.Combine(_dir.Path, "demo"));

    /// <summary>A one-step shapes-xs G_init written as the pretrainer writes it (weights + config).</summary>
    private string TinyBundle()
    {
        var path = Path.Combine(_dir.Path, "bundle", BundledGInit.FileName);
        using var trainer = new T2IPretrainer(new T2IPretrainConfig { Model = ModelPresets.ShapesXs, Steps = 1 }, ShapesVocabulary.Words(["red circle center, grass"]));
        trainer.Save(path);
        return path;
    }

    [Fact]
    public void UseBundled_CopiesAVerifiedCheckpointIntoTheDemoFolder()
    {
        var bundled = TinyBundle();

        var copy = DemoGInit.UseBundled(bundled, Paths, _said.Add);

        Assert.Equal(DemoGInit.CopyPath(Paths), copy);
        Assert.Equal(File.ReadAllBytes(bundled), File.ReadAllBytes(copy!));
        Assert.Equal(File.ReadAllText(GeneratorCheckpoint.ConfigPath(bundled)), File.ReadAllText(GeneratorCheckpoint.ConfigPath(copy!)));
        var (dit, text, config) = GeneratorCheckpoint.Load(copy!);
        using (dit)
        using (text)
            Assert.Equal(ModelPresets.ShapesXs.DiT, config.DiT);
        Assert.Contains(_said, s => s.Contains("bundled shapes-xs G_init") && s.Contains("--pretrain-g-init"));
    }

    [Fact]
    public void UseBundled_LeavesAnIdenticalCopyUntouched_OnARerun()
    {
        var bundled = TinyBundle();
        var copy = DemoGInit.UseBundled(bundled, Paths, _said.Add)!;
        var written = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(copy, written);

        Assert.Equal(copy, DemoGInit.UseBundled(bundled, Paths, _said.Add));

        Assert.Equal(written, File.GetLastWriteTimeUtc(copy));
    }

    [Fact]
    public void UseBundled_ReturnsNull_AndSaysItPretrains_WhenTheBuildHasNone()
    {
        var copy = DemoGInit.UseBundled(Path.Combine(_dir.Path, "missing", BundledGInit.FileName), Paths, _said.Add);

        Assert.Null(copy);
        Assert.Contains(_said, s => s.Contains("no bundled G_init") && s.Contains("pretraining one on the CPU"));
        Assert.False(File.Exists(DemoGInit.CopyPath(Paths)));
    }

    [Fact]
    public void UseBundled_StopsWithWhatToDo_WhenTheWeightsAreTorn()
    {
        var bundled = TinyBundle();
        var bytes = File.ReadAllBytes(bundled);
        File.WriteAllBytes(bundled, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<DemoStageFailedException>(() => DemoGInit.UseBundled(bundled, Paths, _said.Add));

        Assert.Contains("not a usable G_init", e.Message);
        Assert.Contains("--pretrain-g-init", e.Message);
        Assert.False(File.Exists(DemoGInit.CopyPath(Paths)));
    }

    [Fact]
    public void UseBundled_StopsWithWhatToDo_WhenTheConfigIsMissing()
    {
        var bundled = TinyBundle();
        File.Delete(GeneratorCheckpoint.ConfigPath(bundled));

        var e = Assert.Throws<DemoStageFailedException>(() => DemoGInit.UseBundled(bundled, Paths, _said.Add));

        Assert.Contains(".config.json", e.Message);
        Assert.Contains("rebuild", e.Message);
    }

    [Fact]
    public void OnlyTheFullDemo_TakesTheBundledG_init()
    {
        Assert.True(DemoSettings.Full.BundledGInit);
        Assert.False(DemoSettings.Quick.BundledGInit);
    }
}
