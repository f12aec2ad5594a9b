using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// The full-scene caption the critic learns to write after an image (LLaVA's captioning stages): ShapesWorld's detailed
/// caption, which names every object's size, pattern, colour, shape and grid cell, the sign and the background, so each
/// word is a dense target bound to what the image shows (a Yes/No question gives one bit).
/// </summary>
public static class SceneCaption
{
    /// <summary>The user turn of a captioning example, as LLaVA's "describe the image" instructions.</summary>
    public const string Request = "Describe the image.";

    /// <summary>
    /// The caption of <paramref name="scene"/>: one fixed phrasing (seed 0), so every word but the opening carries
    /// content and the same scene always reads the same.
    /// </summary>
    public static string Of(Scene scene) => Captioner.Describe(scene, seed: 0).Detailed;
}
