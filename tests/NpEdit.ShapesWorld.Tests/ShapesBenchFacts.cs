using NpEdit.Testing;
using System.Text;
using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Tests;

public class ShapesBenchFacts
{
    [Fact]
    public void BuildItems_Yields50ValidItemsPerTypeFromBenchSeeds_WhenVersion1()
    {
        var items = ShapesBench.BuildItems(BenchOptions.V1);
        Assert.Equal(11 * 50, items.Count);
        Assert.All(Enum.GetValues<EditType>(), t => Assert.Equal(50, items.Count(i => i.Type == t)));
        Assert.All(items, i => Assert.True(i.IsValid && SeedRanges.IsBench(i.SceneSeed)));
        Assert.Equal(items.Count, items.Select(i => i.Id).Distinct().Count());
    }

    [Fact]
    public async Task LoadAsync_RoundTripsItemsAndImages_WhenBenchWasWritten()
    {
        using var dir = new TempDirectory();
        var options = new BenchOptions { ItemsPerType = 4 };
        var written = await ShapesBench.WriteAsync(dir.Path, options);
        var loaded = await ShapesBench.LoadAsync(written.Directory);

        Assert.Equal(44, loaded.Items.Count);
        Assert.Equal(written.Items, loaded.Items, (a, b) => a.Id == b.Id && a.Instruction == b.Instruction && a.SceneSeed == b.SceneSeed);
        foreach (var item in loaded.Items)
        {
            var (rgb, _, _) = PngCodec.Decode(await File.ReadAllBytesAsync(loaded.ImagePath(item)));
            var edit = GroundTruth.EditItemOf(item);
            Assert.Equal(Renderer.Render(edit.Source, options.Resolution), rgb);
            Assert.NotEqual(rgb, GroundTruth.TargetImageOf(item, options.Resolution));
        }
    }

    [Fact]
    public async Task TrainingFacingFiles_ContainNoTargets_WhenBenchAndCorpusAreWritten()
    {
        using var dir = new TempDirectory();
        var bench = await ShapesBench.WriteAsync(dir.Path, new BenchOptions { ItemsPerType = 3 });
        await CorpusWriter.WriteAsync(new CorpusOptions(40, 64, 5, Path.Combine(dir.Path, "corpus")));

        var files = Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllBytes).ToList();
        var registry = new SceneRegistry();
        await registry.LoadDirectoryAsync(dir.Path);
        foreach (var item in bench.Items)
        {
            var target = GroundTruth.TargetOf(item);
            var targetRgb = Renderer.Render(target, 64);
            var targetPng = PngCodec.Encode(targetRgb, 64, 64);
            var targetJson = Encoding.UTF8.GetBytes(SceneJson.Serialize(target));
            Assert.Null(registry.Find(targetRgb, 64, 64));
            Assert.DoesNotContain(files, f => f.AsSpan().IndexOf(targetPng.AsSpan(33, 64)) >= 0);
            Assert.DoesNotContain(files, f => f.AsSpan().IndexOf(targetJson) >= 0);
        }
    }

    [Fact]
    public async Task LoadAsync_ThrowsClearMessage_WhenFolderIsNotABenchmark()
    {
        using var dir = new TempDirectory();
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() => ShapesBench.LoadAsync(dir.Path));
        Assert.Contains("npedit world bench", ex.Message);
    }
}
