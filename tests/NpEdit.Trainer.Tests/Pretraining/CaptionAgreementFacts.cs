using NpEdit.ShapesWorld.Scenes;
using NpEdit.Trainer.Pretraining;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Pretraining;

public sealed class CaptionAgreementFacts
{
    public CaptionAgreementFacts() => TorchTestEnvironment.Initialize();

    static readonly T2IDataSection Simple = new() { MaxObjects = 2, FlatOnly = true };

    [Fact]
    public void Score_IsPerfect_WhenTheSamplesAreTheTrueRenders()
    {
        var scenes = T2IPretrainJob.EvaluationScenes(Simple, 24);
        using var set = ShapesImageSet.Render(scenes, 32);

        var result = CaptionAgreement.Score(scenes, set.Images, set.Images);

        Assert.Equal(scenes.Sum(s => s.Objects.Count), result.Objects);
        Assert.Equal(1.0, result.Agreement);
        Assert.Equal(1.0, result.StrictAgreement);
        Assert.True(result.ReadableShare > 0.85, $"the proxy reads only {result.ReadableShare:P0} of objects on true 32 px renders");
    }

    [Fact]
    public void Score_IsNearlyPerfect_ForOtherRendersOfTheSameCaptions()
    {
        // A compact caption does not name the jitter, size or rotation: renders that differ only there match it.
        var scenes = T2IPretrainJob.EvaluationScenes(Simple, 64);
        var random = new Random(5);
        var redrawn = scenes.Select(s => s with
        {
            Objects = s.Objects.Select(o => o with
            {
                JitterX = random.Next(-15, 16),
                JitterY = random.Next(-15, 16),
                Size = (SizeClass)random.Next(3),
                Rotation = 15 * random.Next(24),
            }).ToList(),
        }).ToList();
        using var truth = ShapesImageSet.Render(scenes, 32);
        using var sameCaptions = ShapesImageSet.Render(redrawn, 32);

        var result = CaptionAgreement.Score(scenes, truth.Images, sameCaptions.Images);

        Assert.True(result.Agreement > 0.9, $"agreement {result.Agreement:P0} for renders of the same captions");
        Assert.True(result.StrictAgreement > 0.9, $"strict agreement {result.StrictAgreement:P0} for renders of the same captions");
        Assert.True(result.ReadableShare > 0.85, $"the proxy reads only {result.ReadableShare:P0} of objects on true 32 px renders");
    }

    [Fact]
    public void Score_IsLow_WhenTheSamplesAreAnotherScenesRenders()
    {
        var scenes = T2IPretrainJob.EvaluationScenes(Simple, 48);
        using var set = ShapesImageSet.Render(scenes, 32);
        using var shifted = set.Images.roll(1, 0);

        var result = CaptionAgreement.Score(scenes, set.Images, shifted);

        Assert.True(result.Agreement < 0.3, $"agreement {result.Agreement:P0} for unrelated images");
        Assert.True(result.StrictAgreement <= result.Agreement);
    }

    [Fact]
    public void StrictAgreement_FailsAnObject_WhoseColourAlsoShowsInAnEmptyCell()
    {
        // Paint a copy of each scene's first object into an empty cell: still "present", no longer bound to its cell.
        var scenes = T2IPretrainJob.EvaluationScenes(Simple, 24).Where(s => s.OccupiedCells.Count() < 9).ToList();
        var sprayed = scenes.Select(s =>
        {
            var free = Enum.GetValues<GridCell>().Except(s.OccupiedCells).First();
            return s with { Objects = [.. s.Objects, s.Objects[0] with { Cell = free, Shape = ShapeKind.Circle, Pattern = Pattern.Solid, Size = SizeClass.Large }] };
        }).ToList();
        using var truth = ShapesImageSet.Render(scenes, 32);
        using var generated = ShapesImageSet.Render(sprayed, 32);

        var result = CaptionAgreement.Score(scenes, truth.Images, generated.Images);

        Assert.Equal(1.0, result.Agreement);
        Assert.True(result.StrictAgreement < 0.7, $"strict agreement {result.StrictAgreement:P0} although every first object's colour is also in an empty cell");
    }

    [Fact]
    public void Nearest_MapsEachPaletteColourToItself()
    {
        foreach (var c in Enum.GetValues<NamedColor>())
        {
            var p = NpEdit.ShapesWorld.Rendering.Palette.Of(c);
            Assert.Equal(c, CaptionAgreement.Nearest((byte)p.R, (byte)p.G, (byte)p.B));
        }
    }

    [Fact]
    public void EvaluationScenes_PassTheDataFilters()
    {
        var scenes = T2IPretrainJob.EvaluationScenes(Simple, 30);

        Assert.Equal(30, scenes.Count);
        Assert.All(scenes, s => Assert.True(s.Objects.Count <= 2 && s.Style == RenderStyle.Flat));
    }
}
