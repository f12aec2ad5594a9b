using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// The full-scene caption the critic learns to write after an image (LLaVA's captioning stages): every object's grid
/// cell, then its size, pattern, colour and shape (ShapesWorld's captioner phrases), then the sign and the background, so
/// each word is a dense target bound to what the image shows (a Yes/No question gives one bit). Objects come in reading
/// order with the cell first, so the decoder always knows where to look next: "top left: a small striped red star.
/// center: a large blue circle. bottom right: a sign with the letter a. background: light gray."
/// </summary>
public static class SceneCaption
{
    /// <summary>The user turn of a captioning example, as LLaVA's "describe the image" instructions.</summary>
    public const string Request = "Describe the image.";

    /// <summary>The caption of <paramref name="scene"/>; the same scene always reads the same.</summary>
    public static string Of(Scene scene)
    {
        var parts = scene.Objects.OrderBy(o => o.Cell)
            .Select(o => $"{Vocabulary.CellName(o.Cell)}: {Captioner.Article(Captioner.ObjectPhrase(o, withSize: true))}.").ToList();
        if (scene.Sign is { } sign)
            parts.Add($"{Vocabulary.CellName(sign.Cell)}: a sign with {Captioner.CharacterPhrase(sign.Character)}.");
        parts.Add($"background: {Vocabulary.BackgroundPhrase(scene.Background)}, {Vocabulary.StylePhrase(scene.Style)}.");
        return string.Join(' ', parts);
    }
}
