using NpEdit.Core.Prompts;
using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// The words of the ShapesWorld critic: the App. E question templates, the chat roles, ShapesWorld's object
/// names, every word of the instructions of a fixed sample of edits of every type, and every word of the scene captions
/// of that sample (<see cref="SceneCaption"/>) with the captioning request.
/// </summary>
public static class ShapesCriticVocabulary
{
    static readonly Lazy<string[]> words = new(Build);

    /// <summary>The word list (computed once; deterministic).</summary>
    public static IReadOnlyList<string> Words => words.Value;

    static string[] Build()
    {
        var text = new List<string> { "yes", "no", "system", "user", "assistant" };
        text.AddRange(new[]
        {
            PaperPrompts.EditVerification, PaperPrompts.IdentityPreservation, PaperPrompts.RemovalPresence,
            PaperPrompts.CustomizationPose, PaperPrompts.CustomizationIdentity,
        }.Select(p => p.User));
        text.AddRange(Enum.GetValues<NamedColor>().Select(Vocabulary.Color));
        text.AddRange(Enum.GetValues<ShapeKind>().Select(Vocabulary.Shape));
        for (var i = 0; i < 300; i++)
        {
            var seed = CriticSeeds.SceneSeed(0xF0CAB, i);
            var scene = SceneSampler.Sample(seed);
            foreach (var type in Enum.GetValues<EditType>())
                text.AddRange(EditPrograms.Create(scene, seed, type, (ulong)i).Instructions);
            text.AddRange(Captioner.Describe(scene, (ulong)i).All);
            text.Add(SceneCaption.Of(scene));
        }
        text.Add(SceneCaption.Request);
        // Signs show any letter or digit; a sample of 300 scenes does not show them all.
        text.AddRange("abcdefghijklmnopqrstuvwxyz0123456789".Select(c => c.ToString()));
        return new CriticWordTokenizer(text).Words.ToArray();
    }
}
