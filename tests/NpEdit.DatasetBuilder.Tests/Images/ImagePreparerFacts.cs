using NpEdit.Core.Config.Dataset;
using NpEdit.DatasetBuilder.Images;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.DatasetBuilder.Tests.Images;

public class ImagePreparerFacts
{
    private readonly ImagePreparer _preparer = new(new ImageSection { MaxSide = 64, MinSide = 16, MaxPixels = 1_000_000 });

    [Fact]
    public void Prepare_KeepsPixelsExactly_WhenNoResizeIsNeeded()
    {
        // The annotator recognises ShapesWorld images by their RGB pixels, so re-encoding must not change one.
        var rgb = Renderer.Render(SceneSampler.Sample(5), 64);
        var prepared = _preparer.Prepare(PngCodec.Encode(rgb, 64, 64), out var reason);
        Assert.NotNull(prepared);
        Assert.Equal("", reason);
        var (decoded, w, h) = PngCodec.Decode(prepared.Png);
        Assert.Equal((64, 64), (w, h));
        Assert.Equal(rgb, decoded);
    }

    [Fact]
    public void Prepare_DownscalesTheLongSide_KeepingTheAspectRatio()
    {
        var rgb = new byte[200 * 100 * 3];
        Array.Fill(rgb, (byte)128);
        var prepared = _preparer.Prepare(PngCodec.Encode(rgb, 200, 100), out _);
        Assert.Equal((64, 32), (prepared!.Width, prepared.Height));
        Assert.Equal((64, 32), (PngCodec.Decode(prepared.Png).Width, PngCodec.Decode(prepared.Png).Height));
    }

    [Theory]
    [InlineData("corrupt", "corrupt or unsupported image")]
    [InlineData("truncated", "corrupt image")]
    [InlineData("tiny", "image too small")]
    [InlineData("huge", "image too large")]
    [InlineData("empty", "empty file")]
    public void Prepare_SkipsBadFiles_WithTheReason(string kind, string expected)
    {
        var prepared = _preparer.Prepare(BadFiles.Make(kind), out var reason);
        Assert.Null(prepared);
        Assert.StartsWith(expected, reason);
    }
}
