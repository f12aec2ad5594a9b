using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Scenes;
using NpEdit.Trainer.Pretraining;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Pretraining;

public sealed class ShapesImageSetFacts : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("npedit-imageset-").FullName;

    public ShapesImageSetFacts() => TorchTestEnvironment.Initialize(seed: 17);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Generate_GivesTheSetTheCorpusWouldGive()
    {
        // T2ILab renders in memory what 'npedit pretrain t2i' writes as a corpus and reads back: same scenes, pixels,
        // captions, filters and object weights.
        var data = new T2IDataSection { Count = 60, CorpusSeed = 3, MaxObjects = 3, ObjectWeight = 4 };
        await CorpusWriter.WriteAsync(new CorpusOptions(data.Count, 16, (ulong)data.CorpusSeed, _dir));

        using var loaded = await ShapesImageSet.LoadAsync(_dir, 16, data);
        using var generated = ShapesImageSet.Generate(data, 16, parallelism: 2);

        Assert.InRange(generated.Count, 20, 59);                       // the filter dropped the 4- and 5-object scenes
        Assert.Equal(loaded.Count, generated.Count);
        Assert.Equal(loaded.Scenes.Select(SceneJson.Serialize), generated.Scenes.Select(SceneJson.Serialize));
        Assert.True(loaded.Images.Equals(generated.Images));
        Assert.True(loaded.Weights!.Equals(generated.Weights!));
        foreach (var kind in Enum.GetValues<CaptionKind>().Where(k => k != CaptionKind.Mixed))
            Assert.Equal(Enumerable.Range(0, loaded.Count).Select(i => loaded.Caption(i, kind)), Enumerable.Range(0, generated.Count).Select(i => generated.Caption(i, kind)));
        Assert.Equal(loaded.Vocabulary(), generated.Vocabulary());
    }

    [Fact]
    public void Generate_SaysWhatToChange_WhenNoSceneIsKept()
    {
        var data = new T2IDataSection { Count = 3, MaxObjects = 0 };

        var e = Assert.Throws<ArgumentException>(() => ShapesImageSet.Generate(data, 16));

        Assert.Contains("max_objects 0", e.Message);
        Assert.Contains("data.count", e.Message);
    }

    [Fact]
    public void Sample_DrawsFromASetMovedToAnotherDevice_WithTheSameStream()
    {
        using var set = ShapesImageSet.Generate(new T2IDataSection { Count = 20 }, 16);
        using var moved = set.To(CPU);
        using var g1 = new Generator(9);
        using var g2 = new Generator(9);

        using var a = set.Sample(6, CaptionKind.Compact, g1);
        using var b = moved.Sample(6, CaptionKind.Compact, g2);

        Assert.Equal(a.Captions, b.Captions);
        Assert.True(a.Images.Equals(b.Images));
    }
}
