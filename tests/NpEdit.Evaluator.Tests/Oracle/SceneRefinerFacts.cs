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

    private static int[][] Ranked(int classes) => Enumerable.Range(0, OracleLabels.Cells).Select(_ => Enumerable.Range(0, classes).ToArray()).ToArray();

    private static T Other<T>(T value) where T : struct, Enum => Enum.GetValues<T>().First(v => !v.Equals(value));
}
