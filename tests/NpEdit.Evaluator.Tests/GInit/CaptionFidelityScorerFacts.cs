using NpEdit.Evaluator.GInit;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Tests.GInit;

/// <summary>The scorer's counting on scenes built by hand: which reading earns which attribute.</summary>
public class CaptionFidelityScorerFacts
{
    private static readonly Scene Captioned = new(
        new Background(BackgroundKind.Grass, NamedColor.White),
        [
            new SceneObject(ShapeKind.Star, NamedColor.Red, SizeClass.Medium, Pattern.Solid, GridCell.TopLeft, 0, 0, 0),
            new SceneObject(ShapeKind.Circle, NamedColor.Blue, SizeClass.Small, Pattern.Solid, GridCell.Center, 5, -5, 0),
        ],
        null, RenderStyle.Flat);

    [Fact]
    public void A_reading_equal_to_the_caption_scores_every_attribute()
    {
        var score = CaptionFidelityScorer.Score([Captioned], [Captioned]);

        Assert.Equal(new CaptionFidelity(1, 2, 2, 2, 2, 2, 1, 7, 7), score);
        Assert.Equal(1.0, score.Agreement);
    }

    [Fact]
    public void Size_jitter_and_rotation_are_not_in_the_caption_so_they_do_not_count()
    {
        var read = Captioned with { Objects = [.. Captioned.Objects.Select(o => o with { Size = SizeClass.Large, JitterX = -10, Rotation = 45 })] };

        Assert.Equal(1.0, CaptionFidelityScorer.Score([Captioned], [read]).Agreement);
    }

    [Fact]
    public void A_wrong_colour_a_wrong_shape_a_moved_object_and_a_wrong_background_each_cost_their_attribute()
    {
        var (star, circle) = (Captioned.Objects[0], Captioned.Objects[1]);
        var read = new Scene(
            new Background(BackgroundKind.Water, NamedColor.White),
            [star with { Color = NamedColor.Green }, circle with { Shape = ShapeKind.Square }],
            null, RenderStyle.Flat);
        var moved = Captioned with { Objects = [star, circle with { Cell = GridCell.BottomRight }] };

        var wrong = CaptionFidelityScorer.Score([Captioned], [read]);
        var misplaced = CaptionFidelityScorer.Score([Captioned], [moved]);

        Assert.Equal(new CaptionFidelity(1, 2, 2, 1, 1, 0, 0, 7, 7), wrong);
        Assert.Equal(4.0 / 7, wrong.Agreement, 10);   // cells 2 + colour 1 + shape 1 of 3·2 + 1
        // The moved circle is not where the caption puts it (no cell, colour or shape credit) and fills an empty cell.
        Assert.Equal(new CaptionFidelity(1, 2, 1, 1, 1, 1, 1, 7, 6), misplaced);
    }

    [Fact]
    public void Cells_taken_by_a_sign_are_not_counted_as_empty()
    {
        var withSign = Captioned with { Sign = new TextSign('A', GridCell.BottomLeft) };

        Assert.Equal(6, CaptionFidelityScorer.Score([withSign], [withSign]).EmptyCells);
    }

    [Fact]
    public void Readings_must_pair_with_scenes()
    {
        var e = Assert.Throws<ArgumentException>(() => CaptionFidelityScorer.Score([Captioned, Captioned], [Captioned]));
        Assert.Contains("one reading per captioned scene", e.Message);
    }
}
