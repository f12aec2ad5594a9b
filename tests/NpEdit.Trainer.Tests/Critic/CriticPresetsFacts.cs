using NpEdit.ShapesWorld.Scenes;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Critic.Shapes;
using TorchSharp;

namespace NpEdit.Trainer.Tests.Critic;

public class CriticPresetsFacts
{
    public CriticPresetsFacts() => TorchTestEnvironment.Initialize(seed: 3);

    [Fact]
    public void ShapesMini16_IsShapesMini_In16PxPatches_AndAnswersEveryFamily()
    {
        var (mini, mini16) = (CriticPresets.ByName("shapes-mini"), CriticPresets.ByName("shapes-mini-16"));
        Assert.Equal(mini.Model.VisionConfig with { PatchSize = 16 }, mini16.Model.VisionConfig);
        Assert.Equal(mini.Model.TextConfig, mini16.Model.TextConfig);
        Assert.Equal(16 + 1, mini16.Model.TokensPerImage);
        Assert.All(new[] { mini, mini16 }, c => Assert.Equal(CriticPromptLayout.ImagesFirst, c.PromptLayout));
        Assert.Equal(CriticPromptLayout.QuestionFirst, new CriticPretrainConfig { PromptLayout = CriticPromptLayout.QuestionFirst }.Critic().PromptLayout);
        Assert.Throws<ArgumentException>(() => new CriticPretrainConfig { PromptLayout = "sideways" }.Critic());
        var unknown = Assert.Throws<ArgumentException>(() => new CriticPretrainConfig { Preset = "shapes-huge" }.Validate());
        Assert.Contains("shapes-mini-cells", unknown.Message);

        using var trainer = new CriticPretrainer(new CriticPretrainConfig { Preset = "shapes-mini-16" }, mini16);
        var metrics = trainer.Evaluate(ShapesCriticData.Stream(ShapesCriticData.HeldOutStream).Take(6).ToArray());
        Assert.All(CriticExample.Families, f => Assert.InRange(metrics[$"heldout/accuracy/{f}"], 0, 1));
    }

    [Fact]
    public void ShapesTiny16_IsShapesMini16_AtHalfTheWidthAndDepth_WithAboutASixthOfItsParameters()
    {
        var (mini16, tiny16) = (CriticPresets.ByName("shapes-mini-16"), CriticPresets.ByName("shapes-tiny-16"));
        Assert.Equal(mini16.Model.VisionConfig with { HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2 }, tiny16.Model.VisionConfig);
        Assert.Equal(mini16.Model.TextConfig with { HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2 }, tiny16.Model.TextConfig);
        Assert.Equal((16, 2), (tiny16.Model.TextConfig.HeadDim, tiny16.Model.TextConfig.NumKeyValueHeads));
        Assert.Equal(mini16.Words, tiny16.Words);
        Assert.Equal((mini16.YesTokenId, mini16.NoTokenId), (tiny16.YesTokenId, tiny16.NoTokenId));

        using var trainer = new CriticPretrainer(new CriticPretrainConfig { Preset = "shapes-tiny-16" }, tiny16);
        using var mini = new NpEdit.Trainer.Models.Critic.LlavaOnevisionModel(mini16.Model);
        long Count(torch.nn.Module m) => m.parameters().Sum(p => p.numel());
        var ratio = (double)Count(mini) / Count(trainer.Model);
        Assert.InRange(ratio, 5, 8);
        var metrics = trainer.Evaluate(ShapesCriticData.Stream(ShapesCriticData.HeldOutStream).Take(6).ToArray());
        Assert.All(CriticExample.Families, f => Assert.InRange(metrics[$"heldout/accuracy/{f}"], 0, 1));
    }

    [Fact]
    public void ShapesMiniCells_LaysOnePatchOnEachSceneCell_AndReads64PxRenders()
    {
        var (mini, cells) = (CriticPresets.ByName("shapes-mini"), CriticPresets.ByName("shapes-mini-cells"));
        Assert.Equal(mini.Model.VisionConfig with { ImageSize = 48, PatchSize = 16 }, cells.Model.VisionConfig);
        Assert.Equal(mini.Model.TextConfig, cells.Model.TextConfig);
        Assert.Equal(9 + 1, cells.Model.TokensPerImage);
        var cells96 = CriticPresets.ByName("shapes-mini-cells-96").Model;
        Assert.Equal((96, 32, 9 + 1), (cells96.VisionConfig.ImageSize, cells96.VisionConfig.PatchSize, cells96.TokensPerImage));

        // An object alone in cell c is under patch c and no other: patch order is the scene's cell order.
        foreach (var cell in Enum.GetValues<GridCell>())
        {
            var scene = new Scene(new Background(BackgroundKind.Plain, NamedColor.Blue),
                [new SceneObject(ShapeKind.Square, NamedColor.Red, SizeClass.Small, Pattern.Solid, cell, 0, 0, 0)], null, RenderStyle.Flat);
            var labels = SceneLabels.Of(scene, grid: 3);
            Assert.Equal(Enumerable.Range(0, 9).Select(p => p == (int)cell ? (long)NamedColor.Red + 1 : 0L), labels.Color);
        }

        using var scope = torch.NewDisposeScope();
        var renders = torch.rand(2, 3, ShapesCriticData.ImageSize, ShapesCriticData.ImageSize);
        Assert.Equal(new long[] { 2, 3, 48, 48 }, CriticImageProcessor.Prepare(renders, cells.Model).shape);
        using var trainer = new CriticPretrainer(new CriticPretrainConfig { Preset = "shapes-mini-cells" }, cells);
        var metrics = trainer.Evaluate(ShapesCriticData.Stream(ShapesCriticData.HeldOutStream).Take(6).ToArray());
        Assert.All(CriticExample.Families, f => Assert.InRange(metrics[$"heldout/accuracy/{f}"], 0, 1));
        Assert.Contains("shapes-mini-cells", Assert.Throws<ArgumentException>(() => CriticPresets.ByName("shapes-huge")).Message);
    }
}
