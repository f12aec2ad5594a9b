using System.Security.Cryptography;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Tests;

public class RendererFacts
{
    // SHA-256 of the raw RGB bytes (cross-checked with an independent Python/zlib PNG decode of `world render`).
    // A change here means every corpus and benchmark image changes: bump the benchmark version.
    [Theory]
    [InlineData(0UL, 32, "4673186e96ba63c940b2f5929dd3a0f1e65cf6cbec08bb2097f111796fcf91e8")]
    [InlineData(7UL, 64, "4bc7348b41a951e462936411fa94eb7688d093287df47b01b23bdf053d55c512")]
    [InlineData(42UL, 128, "f32abe1c0a67e21d9342eeee908daf66d3970eb02bf928035717f43bc35ebf92")]
    [InlineData(1234UL, 256, "750c0cc6324a5538d9d37441de61b43f60387bcb9854d0fd8b8962cde1bafa56")]
    public void Render_MatchesGoldenHash_WhenSeedAndSizeAreFixed(ulong seed, int size, string expectedSha256)
    {
        var rgb = Renderer.Render(SceneSampler.Sample(seed), size);
        Assert.Equal(expectedSha256, Convert.ToHexStringLower(SHA256.HashData(rgb)));
    }

    [Fact]
    public void Render_ReturnsIdenticalBytes_WhenCalledTwice()
    {
        var scene = SceneSampler.Sample(99);
        Assert.Equal(Renderer.Render(scene, 96), Renderer.Render(scene, 96));
    }

    [Fact]
    public void Render_ChangesPixels_WhenAnyStyleOrBackgroundChanges()
    {
        var scene = SceneSampler.Sample(5) with { Style = RenderStyle.Flat };
        var baseline = Renderer.Render(scene, 64);
        foreach (var style in Enum.GetValues<RenderStyle>().Where(s => s != RenderStyle.Flat))
            Assert.NotEqual(baseline, Renderer.Render(scene with { Style = style }, 64));
        foreach (var kind in Enum.GetValues<BackgroundKind>().Where(k => k != scene.Background.Kind))
            Assert.NotEqual(baseline, Renderer.Render(scene with { Background = new Background(kind, NamedColor.Orange) }, 64));
    }

    [Fact]
    public void Render_AntiAliasesEdges_WhenShapeIsDrawn()
    {
        var scene = new Scene(new Background(BackgroundKind.Plain, NamedColor.Blue),
            [new SceneObject(ShapeKind.Circle, NamedColor.Black, SizeClass.Large, Pattern.Solid, GridCell.Center, 0, 0, 0)], null, RenderStyle.Flat);
        var rgb = Renderer.Render(scene, 64);
        var reds = Enumerable.Range(0, 64 * 64).Select(i => rgb[i * 3]).Distinct().Count();
        // Background and fill alone would give two values; edge pixels carry intermediate coverage.
        Assert.True(reds > 5, $"only {reds} distinct red values");
    }

    [Fact]
    public void Render_Throws_WhenSizeIsTooSmall()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Renderer.Render(SceneSampler.Sample(1), 4));
        Assert.Contains("4×4", ex.Message);
    }
}
