using NpEdit.Core.Config.Dataset;
using NpEdit.DatasetBuilder.Inputs;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.Testing;

namespace NpEdit.DatasetBuilder.Tests.Inputs;

public sealed class InputReaderFacts(ShapesCorpus corpus) : IClassFixture<ShapesCorpus>
{
    [Fact]
    public async Task Parquet_IsCutIntoFixedSlices_AndReadsImagesCaptionsAndIds()
    {
        var input = new InputSection
        {
            Kind = InputKind.Parquet, Path = Path.Combine(corpus.Path, "data"), CaptionColumn = "caption_short", IdColumn = "",
            ImagesPerUnit = 20, Limit = 45,
        };
        var units = await InputPlanner.PlanAsync(input);
        // Shards of 30 and 20 rows, slices of at most 20, 45 images in all.
        Assert.Equal([(0, 20), (20, 10), (0, 15)], units.Select(u => (u.Start, u.Count)));

        var images = await InputReader.ReadAsync(input, units[1]);
        var expected = new List<CorpusRow>();
        await foreach (var row in CorpusReader.ReadAsync(corpus.Path))
            expected.Add(row);
        Assert.Equal(10, images.Count);
        Assert.Equal($"{Path.GetFileName(units[1].File)}#20", images[0].SourceId);
        Assert.Equal(expected.Skip(20).Take(10).Select(r => r.CaptionShort), images.Select(i => i.Caption));
        Assert.Equal(expected[29].Image.Bytes, images[9].Bytes);
    }

    [Fact]
    public async Task Parquet_WithAMissingColumn_SaysWhichColumnsExist()
    {
        var input = new InputSection { Kind = InputKind.Parquet, Path = Path.Combine(corpus.Path, "data"), CaptionColumn = "text" };
        var units = await InputPlanner.PlanAsync(input);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => InputReader.ReadAsync(input, units[0]));
        Assert.Contains("no caption column 'text'", e.Message);
        Assert.Contains("caption_detailed", e.Message);
    }

    [Fact]
    public async Task Planner_ExplainsAPathThatHoldsNothing()
    {
        var e = await Assert.ThrowsAsync<DirectoryNotFoundException>(() =>
            InputPlanner.PlanAsync(new InputSection { Kind = InputKind.Folder, Path = "/nonexistent/images" }));
        Assert.Contains("is not a folder", e.Message);
    }

    [Fact]
    public async Task Stream_YieldsImagesAsRowGroupsAreRead_AndNamesADamagedRowGroupOnlyWhenItIsReached()
    {
        using var dir = new TempDirectory("npedit-stream-input");
        await CorpusWriter.WriteAsync(new CorpusOptions(50, 64, 7, dir.Path) { RowsPerShard = 50, RowGroupSize = 10 });
        var input = new InputSection { Kind = InputKind.ShapesWorld, Path = dir.Path, ImagesPerUnit = 45 };
        var slice = (await InputPlanner.PlanAsync(input))[0];
        var expected = await InputReader.ReadAsync(input, slice);
        Assert.Equal(45, expected.Count);

        using (await DamagedParquet.DamageAsync(slice.File, rowGroup: 3))
        {
            var read = new List<InputImage>();
            var e = await Assert.ThrowsAsync<InvalidDataException>(async () =>
            {
                await foreach (var image in InputReader.StreamAsync(input, slice))
                    read.Add(image);
            });
            // Rows 0–29 came out, unchanged, before the damaged row group was touched.
            Assert.Equal(expected.Take(30).Select(i => (i.SourceId, i.Caption, i.Bytes.Length)), read.Select(i => (i.SourceId, i.Caption, i.Bytes.Length)));
            Assert.Contains(Path.GetFileName(slice.File), e.Message);
            Assert.Contains("row group 3 (rows 30–39)", e.Message);
            Assert.Contains("restore it and rerun", e.Message);
        }
        Assert.Equal(expected.Select(i => i.SourceId), (await InputReader.ReadAsync(input, slice)).Select(i => i.SourceId));
    }
}
