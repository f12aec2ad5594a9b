using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Tests;

public class PngCodecFacts
{
    [Theory]
    [InlineData(3UL, 32)]
    [InlineData(11UL, 77)]
    public void Decode_ReturnsEncodedPixels_WhenImageWasEncodedHere(ulong seed, int size)
    {
        var rgb = Renderer.Render(SceneSampler.Sample(seed), size);
        var (decoded, w, h) = PngCodec.Decode(PngCodec.Encode(rgb, size, size));
        Assert.Equal((size, size), (w, h));
        Assert.Equal(rgb, decoded);
    }

    [Fact]
    public void Decode_Throws_WhenBytesAreNotPng()
    {
        Assert.Throws<FormatException>(() => PngCodec.Decode("GIF89a not a png"u8.ToArray()));
    }
}
