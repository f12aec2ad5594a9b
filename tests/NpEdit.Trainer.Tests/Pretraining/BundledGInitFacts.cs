using NpEdit.Trainer.Models;
using NpEdit.Trainer.Pretraining;

namespace NpEdit.Trainer.Tests.Pretraining;

public sealed class BundledGInitFacts : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("npedit-bundled-").FullName;

    public BundledGInitFacts() => TorchTestEnvironment.Initialize(seed: 17);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TheBundledG_init_IsAShapes_sGenerator_PretrainedOnTheEditorsScenes()
    {
        // The file the full demo takes (e002 on the H100, bench/RESULTS.md): it ships with the build and loads.
        var config = BundledGInit.Verify(BundledGInit.BundledPath);

        Assert.Equal(ModelPresets.ShapesS.Name, config.Preset);
        Assert.Equal(ModelPresets.ShapesS.DiT, config.DiT);
        Assert.Equal(ModelPresets.ShapesS.Text, config.Text);
        Assert.Equal(9875, config.Step);
        var data = config.Training!["data"]!;
        Assert.Equal((5, false), (data["max_objects"]!.GetValue<int>(), data["flat_only"]!.GetValue<bool>()));
    }

    [Fact]
    public void Verify_ReturnsTheConfig_OfAG_initThePretrainerWrote()
    {
        var path = Path.Combine(_dir, "g.safetensors");
        using (var trainer = new T2IPretrainer(new T2IPretrainConfig { Model = TinyModels.Preset, Steps = 1 }, TinyModels.Vocabulary))
            trainer.Save(path);

        var config = BundledGInit.Verify(path);

        Assert.Equal(TinyModels.Preset.DiT, config.DiT);
    }

    [Fact]
    public void Verify_SaysWhatIsWrong_WithMissingOrForeignFiles()
    {
        var missing = Path.Combine(_dir, "none.safetensors");
        var garbage = Path.Combine(_dir, "garbage.safetensors");
        File.WriteAllBytes(garbage, [1, 2, 3, 4]);
        File.WriteAllText(GeneratorCheckpoint.ConfigPath(garbage), "{\"Preset\": \"shapes-s\"}");
        var noConfig = Path.Combine(_dir, "bare.safetensors");
        File.WriteAllBytes(noConfig, [1, 2, 3, 4]);

        Assert.Contains("not found", Assert.Throws<FileNotFoundException>(() => BundledGInit.Verify(missing)).Message);
        Assert.Contains(".config.json", Assert.Throws<FileNotFoundException>(() => BundledGInit.Verify(noConfig)).Message);
        Assert.Contains("not a usable G_init", Assert.Throws<InvalidDataException>(() => BundledGInit.Verify(garbage)).Message);
    }
}
