using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Tests;

public class CaptionerFacts
{
    [Fact]
    public void Describe_NeverUsesInstructionWords_WhenCaptioningScenes()
    {
        for (ulong seed = 0; seed < 1500; seed++)
            foreach (var caption in Captioner.Describe(SceneSampler.Sample(seed), seed).All)
                Assert.False(Captioner.ContainsInstructionWord(caption), caption);
    }

    [Fact]
    public void EditedCaption_NeverUsesInstructionWordsOrRemovedObject_WhenEditIsValid()
    {
        foreach (var type in Enum.GetValues<EditType>())
        {
            for (ulong seed = 0; seed < 100; seed++)
            {
                var item = EditPrograms.Create(seed, type, seed + 3);
                if (!item.IsValid) continue;
                Assert.False(Captioner.ContainsInstructionWord(item.EditedCaption), item.EditedCaption);
                if (item.Spec is RemoveEdit r) Assert.DoesNotContain(r.Object.Name, item.EditedCaption);
            }
        }
    }

    [Fact]
    public void Describe_VariesPhrasing_WhenSeedsDiffer()
    {
        var scene = SceneSampler.Sample(3);
        var shorts = Enumerable.Range(0, 30).Select(i => Captioner.Describe(scene, (ulong)i).Short).Distinct().Count();
        var alts = Enumerable.Range(0, 30).Select(i => Captioner.Describe(scene, (ulong)i).AltText).Distinct().Count();
        Assert.True(shorts >= 3 && alts >= 3, $"short {shorts}, alt {alts}");
    }

    [Fact]
    public void Describe_MentionsEveryObjectAndTheSign_WhenDetailed()
    {
        for (ulong seed = 0; seed < 200; seed++)
        {
            var scene = SceneSampler.Sample(seed);
            var detailed = Captioner.Describe(scene, seed).Detailed;
            foreach (var o in scene.Objects) Assert.Contains($"{Vocabulary.Color(o.Color)} {Vocabulary.Shape(o.Shape)}", detailed);
            if (scene.Sign is { } sign) Assert.Contains($" {sign.Character}", detailed);
        }
    }
}
