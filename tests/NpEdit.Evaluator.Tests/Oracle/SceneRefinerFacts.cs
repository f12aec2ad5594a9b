using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Tests.Oracle;

[Collection(OracleCollection.Name)]
public class SceneRefinerFacts
{
    [Fact]
    public void Rendering_alternatives_recovers_a_misread_object_and_style()
    {
        var truth = OracleScenes.HeldOut(5).Scene;
        var o = truth.Objects[0];
        var misread = truth with
        {
            Objects = truth.Objects.Select(x => x == o ? x with { Color = Other(o.Color), Size = Other(o.Size), JitterX = Math.Clamp(o.JitterX + 2, -15, 15) } : x).ToArray(),
            Style = Other(truth.Style),
        };
        // The ranking an untrained head might give: every value in enum order.
        var alternatives = new SceneAlternatives(
            Ranked(OracleLabels.Shapes), Ranked(OracleLabels.Colors), Ranked(OracleLabels.Characters),
            Enumerable.Range(0, OracleLabels.BackgroundKinds).ToArray(), Enumerable.Range(0, OracleLabels.Styles).ToArray());

        var refined = SceneRefiner.Refine(misread, alternatives, RgbImage.Render(truth, 64));

        Assert.Equal(SceneFacts.Of(truth), SceneFacts.Of(refined));
        Assert.Equal(RgbImage.Render(truth, 64).Pixels, RgbImage.Render(refined, 64).Pixels);
    }

    [Fact]
    public void Rendering_alternatives_finds_the_drawn_angle_where_the_outlines_symmetry_hides_it()
    {
        // A striped circle's stripes turn with it, and a triangle is drawn with its bounding box centred, so turning
        // it by 120° moves it: both show angles the shape's symmetry calls the same. Read at the symmetric angle, the
        // refiner used to swap them for another shape whose look came closer.
        var truth = new Scene(new Background(BackgroundKind.Plain, NamedColor.Gray),
        [
            new SceneObject(ShapeKind.Circle, NamedColor.Red, SizeClass.Large, Pattern.Striped, GridCell.TopLeft, 4, -3, 300),
            new SceneObject(ShapeKind.Triangle, NamedColor.Blue, SizeClass.Large, Pattern.Solid, GridCell.Center, -2, 5, 345),
        ], null, RenderStyle.Flat);
        var misread = truth with { Objects = [truth.Objects[0] with { Rotation = 0 }, truth.Objects[1] with { Rotation = 105 }] };
        Assert.Equal(ShapeSymmetry.Canonical(ShapeKind.Triangle, 345), ShapeSymmetry.Canonical(ShapeKind.Triangle, 105));
        Assert.NotEqual(RgbImage.Render(truth, 64).Pixels, RgbImage.Render(misread, 64).Pixels);
        var alternatives = new SceneAlternatives(
            Ranked(OracleLabels.Shapes), Ranked(OracleLabels.Colors), Ranked(OracleLabels.Characters),
            Enumerable.Range(0, OracleLabels.BackgroundKinds).ToArray(), Enumerable.Range(0, OracleLabels.Styles).ToArray());

        var refined = SceneRefiner.Refine(misread, alternatives, RgbImage.Render(truth, 64));

        Assert.Equal([ShapeKind.Circle, ShapeKind.Triangle], refined.Objects.Select(o => o.Shape));
        Assert.Equal(RgbImage.Render(truth, 64).Pixels, RgbImage.Render(refined, 64).Pixels);
    }

    private static int[][] Ranked(int classes) => Enumerable.Range(0, OracleLabels.Cells).Select(_ => Enumerable.Range(0, classes).ToArray()).ToArray();

    private static T Other<T>(T value) where T : struct, Enum => Enum.GetValues<T>().First(v => !v.Equals(value));
}
