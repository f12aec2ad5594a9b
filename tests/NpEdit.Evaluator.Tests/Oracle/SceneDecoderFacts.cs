using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Scenes;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Tests.Oracle;

[Collection(OracleCollection.Name)]
public class SceneDecoderFacts
{
    public SceneDecoderFacts() => OracleTestEnvironment.InitializeTorch();

    [Fact]
    public void Head_outputs_that_match_the_labels_decode_back_to_the_same_scenes()
    {
        var scenes = Enumerable.Range(0, 64).Select(i => OracleScenes.HeldOut(i).Scene).ToArray();
        using var scope = NewDisposeScope();
        var t = SceneTargets.Build(scenes, CPU);
        var perfect = new SceneParserOutput(
            OneHot(t.Occupancy, OracleLabels.Occupants), OneHot(t.Shape, OracleLabels.Shapes), OneHot(t.Color, OracleLabels.Colors),
            OneHot(t.Size, OracleLabels.Sizes), OneHot(t.Pattern, OracleLabels.Patterns), OneHot(t.Rotation, OracleLabels.RotationBins), t.Jitter,
            OneHot(t.Character, OracleLabels.Characters), OneHot(t.BackgroundKind, OracleLabels.BackgroundKinds),
            OneHot(t.BackgroundTint, OracleLabels.Colors), OneHot(t.Style, OracleLabels.Styles));

        var decoded = SceneDecoder.Decode(perfect);

        for (int i = 0; i < scenes.Length; i++)
            Assert.True(EditApplier.LooksSame(ByCell(scenes[i]), ByCell(decoded[i])), $"scene {i}: {SceneJson.Serialize(scenes[i])} decoded as {SceneJson.Serialize(decoded[i])}");
    }

    [Fact]
    public void Loss_on_untrained_network_is_finite_even_without_signs_or_tints()
    {
        var background = new Background(BackgroundKind.Grass, NamedColor.White);
        var scene = new Scene(background, [new SceneObject(ShapeKind.Circle, NamedColor.Red, SizeClass.Small, Pattern.Solid, GridCell.TopLeft, 0, 0, 0)], null, RenderStyle.Flat);
        using var scope = NewDisposeScope();
        using var net = new SceneParserNet(new OracleConfig());
        var input = OracleInput.ToTensor([RgbImage.Render(scene, 64)], 64);
        var loss = OracleLoss.Compute(net.call(input), SceneTargets.Build([scene], CPU));
        Assert.True(float.IsFinite(loss.item<float>()));
    }

    private static Tensor OneHot(Tensor labels, int classes)
    {
        // Ignored labels (−100) become all-zero rows; decoding never reads them.
        var valid = labels.ge(0);
        return nn.functional.one_hot(labels.clamp_min(0), classes).to(float32) * valid.unsqueeze(-1).to(float32) * 10;
    }

    private static Scene ByCell(Scene s) => s with { Objects = s.Objects.OrderBy(o => o.Cell).ToArray() };
}
