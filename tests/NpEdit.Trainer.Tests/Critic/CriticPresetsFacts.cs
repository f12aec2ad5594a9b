using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Critic.Shapes;

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

        using var trainer = new CriticPretrainer(new CriticPretrainConfig { Preset = "shapes-mini-16" }, mini16);
        var metrics = trainer.Evaluate(ShapesCriticData.Stream(ShapesCriticData.HeldOutStream).Take(6).ToArray());
        Assert.All(CriticExample.Families, f => Assert.InRange(metrics[$"heldout/accuracy/{f}"], 0, 1));
    }
}
