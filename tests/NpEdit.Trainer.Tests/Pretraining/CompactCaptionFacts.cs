using NpEdit.ShapesWorld.Scenes;
using NpEdit.Trainer.Models.Text;
using NpEdit.Trainer.Pretraining;

namespace NpEdit.Trainer.Tests.Pretraining;

public sealed class CompactCaptionFacts
{
    [Fact]
    public void Describe_NamesEveryObjectWithColourShapeAndCell_ThenTheBackground()
    {
        var scene = new Scene(new Background(BackgroundKind.Grass, NamedColor.White),
        [
            new SceneObject(ShapeKind.Star, NamedColor.Red, SizeClass.Small, Pattern.Striped, GridCell.TopLeft, 0, 0, 0),
            new SceneObject(ShapeKind.Circle, NamedColor.Blue, SizeClass.Large, Pattern.Solid, GridCell.Center, 0, 0, 0),
        ], null, RenderStyle.Sketch);

        Assert.Equal("striped red star top left, blue circle center, grass, sketch", CompactCaption.Describe(scene));
    }

    [Fact]
    public void Describe_UsesOnlyKnownWords_AndFitsTheShapesSTokenLimit_UpToThreeObjects()
    {
        var tokenizer = new WordTokenizer(ShapesVocabulary.Words([]), NpEdit.Trainer.Models.ModelPresets.ShapesS.Text.MaxTokens);
        for (ulong seed = 0; seed < 300; seed++)
        {
            var scene = SceneSampler.Sample(seed);
            var caption = CompactCaption.Describe(scene);
            var words = caption.Split([' ', ',', '-'], StringSplitOptions.RemoveEmptyEntries).Length;

            var ids = tokenizer.Tokenize(caption);

            Assert.DoesNotContain(WordTokenizer.UnkId, ids);
            if (scene.Objects.Count <= 3)
                Assert.True(ids.Length == 1 + words, $"'{caption}' is cut at {tokenizer.MaxTokens} tokens");
        }
    }
}
