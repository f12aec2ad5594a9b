using System.Security.Cryptography;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Tests;

public class RendererFacts
{
    // SHA-256 of the raw RGB bytes. A change here means every corpus and benchmark image changes: bump their versions.
    [Theory]
    [InlineData(0UL, 32, "GOLDEN_0_32")]
    [InlineData(7UL, 64, "GOLDEN_7_64")]
    [InlineData(42UL, 128, "GOLDEN_42_128")]
    [InlineData(1234UL, 256, "GOLDEN_1234_256")]
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
