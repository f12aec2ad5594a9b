using NpEdit.ShapesWorld.Scenes;
using NpEdit.Trainer.Critic.Shapes;

namespace NpEdit.Trainer.Tests.Critic;

public class SceneLabelsFacts
{
    static readonly Scene Scene = new(
        new Background(BackgroundKind.Plain, NamedColor.Blue),
        [new SceneObject(ShapeKind.Star, NamedColor.Red, SizeClass.Large, Pattern.Striped, GridCell.Center, 0, 0, 0)],
        new TextSign('Q', GridCell.TopLeft),
        RenderStyle.Sketch);

    [Fact]
    public void Patches_UnderTheObject_CarryItsAttributes_AndEmptyCornersCarryNone()
    {
        var labels = SceneLabels.Of(Scene, grid: 8);
        var centre = 3 * 8 + 3;                      // the patch just up-left of the image centre
        Assert.Equal((long)NamedColor.Red + 1, labels.Color[centre]);
        Assert.Equal((long)ShapeKind.Star + 1, labels.Shape[centre]);
        Assert.Equal((long)Pattern.Striped + 1, labels.Pattern[centre]);
        Assert.Equal((long)SizeClass.Large + 1, labels.Size[centre]);
        var bottomRight = 8 * 8 - 1;
        Assert.All(labels.Heads, head => Assert.Equal(0, head[bottomRight]));
    }

    [Fact]
    public void ThePatchesOfTheSign_AreTheSignShape_WithItsCharacter()
    {
        var labels = SceneLabels.Of(Scene, grid: 8);
        var onSign = 1 * 8 + 1;                      // top-left cell centre ≈ (1/6, 1/6) of the image
        Assert.Equal(Enum.GetValues<ShapeKind>().Length + 1, labels.Shape[onSign]);
        Assert.Equal(TextSign.Alphabet.IndexOf('Q') + 1, labels.Character[onSign]);
        Assert.Equal(0, labels.Color[onSign]);
    }

    [Fact]
    public void ImageLabels_NameBackgroundStyleAndDegradation_WithinTheirClassCounts()
    {
        var noisy = SceneLabels.Of(Scene, grid: 4, CandidateKind.Noisy);
        Assert.Equal([(long)BackgroundKind.Plain, (long)NamedColor.Blue, (long)RenderStyle.Sketch, 1], noisy.ImageLabels);
        Assert.Equal(2, SceneLabels.Of(Scene, 4, CandidateKind.Blurred).Degradation);
        Assert.Equal(0, SceneLabels.Of(Scene, 4, CandidateKind.WrongEdit).Degradation);
        foreach (var example in ShapesCriticData.Stream(ShapesCriticData.TrainStream).Take(60))
        {
            var labels = SceneLabels.Of(example.CandidateScene!, 8, example.Kind);
            for (var h = 0; h < SceneLabels.PatchClasses.Length; h++)
                Assert.All(labels.Heads[h], c => Assert.InRange(c, 0, SceneLabels.PatchClasses[h] - 1));
            for (var h = 0; h < SceneLabels.ImageClasses.Length; h++)
                Assert.InRange(labels.ImageLabels[h], 0, SceneLabels.ImageClasses[h] - 1);
        }
    }
}
