using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Scenes;
using NpEdit.Trainer.Pretraining;

namespace NpEdit.Trainer.Tests.Pretraining;

public sealed class CompactCaptionRewriterFacts
{
    [Fact]
    public void Rewrite_OfEveryDetailedCaption_IsTheScenesCompactCaption_WithoutTheStyle()
    {
        for (ulong seed = 0; seed < 300; seed++)
        {
            var scene = SceneSampler.Sample(seed);
            var detailed = Captioner.Describe(scene, seed).Detailed;

            Assert.Equal(CompactCaption.Describe(scene with { Style = RenderStyle.Flat }), CompactCaptionRewriter.Rewrite(detailed));
        }
    }

    [Fact]
    public void Rewrite_KeepingTheStyle_OfEveryDetailedCaption_IsTheCaptionAnAllStyleG_initWasTrainedOn()
    {
        var styled = 0;
        for (ulong seed = 0; seed < 300; seed++)
        {
            var scene = SceneSampler.Sample(seed);
            var detailed = Captioner.Describe(scene, seed).Detailed;

            Assert.Equal(CompactCaption.Describe(scene), CompactCaptionRewriter.Rewrite(detailed, keepStyle: true));
            styled += scene.Style == RenderStyle.Flat ? 0 : 1;
        }
        Assert.InRange(styled, 100, 170);   // SceneSampler draws 45% non-flat scenes
    }

    [Fact]
    public void Rewrite_KeepsPatternsAndTintedBackgrounds_AndDropsSizesSignsAndOrientation()
    {
        const string caption = "In this neon glow artwork there is a large checkered yellow heart at the bottom center, tilted, and a small "
            + "polka-dot black arrow in the top left corner pointing down. A small white sign on the middle right shows the letter J. "
            + "The background is a soft purple-to-white gradient.";

        Assert.Equal("checkered yellow heart bottom center, polka-dot black arrow top left, purple gradient", CompactCaptionRewriter.Rewrite(caption));
    }

    [Fact]
    public void Rewrite_LeavesACaptionThatNamesNoShapeOrBackground_AsItIs()
    {
        Assert.Equal("low quality, artifacts", CompactCaptionRewriter.Rewrite("low quality, artifacts"));
    }
}
