using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>
/// The full-scene caption the critic learns to write after an image (LLaVA's captioning stages): every object's size,
/// pattern, colour, shape and grid cell (ShapesWorld's captioner phrases), then the sign and the background, so each word
/// is a dense target bound to what the image shows (a Yes/No question gives one bit). Objects come in reading order.
/// </summary>
public static class SceneCaption
{
    /// <summary>The user turn of a captioning example, as LLaVA's "describe the image" instructions.</summary>
    public const string Request = "Describe the image.";

    /// <summary>Each object's cell first, then its name: the decoder reads the object at a known place ("top left: a small red star.").</summary>
    public const string CellFirst = "cell_first";

    /// <summary>
    /// Each object's name first, then its cell ("a small red star: top left."): after the name the decoder has to find
    /// that object in the image — the name-to-image look-up a presence question needs.
    /// </summary>
    public const string NameFirst = "name_first";

    public static readonly string[] Orders = [CellFirst, NameFirst];

    /// <summary>The caption of <paramref name="scene"/> in <paramref name="order"/>; the same scene always reads the same.</summary>
    public static string Of(Scene scene, string order = CellFirst)
    {
        if (!Orders.Contains(order))
            throw new ArgumentException($"caption_order '{order}' is not one of {string.Join(", ", Orders)}.", nameof(order));
        string Entry(string cell, string thing) => order == CellFirst ? $"{cell}: {thing}." : $"{thing}: {cell}.";
        var parts = scene.Objects.OrderBy(o => o.Cell)
            .Select(o => Entry(Vocabulary.CellName(o.Cell), Captioner.Article(Captioner.ObjectPhrase(o, withSize: true)))).ToList();
        if (scene.Sign is { } sign)
            parts.Add(Entry(Vocabulary.CellName(sign.Cell), $"a sign with {Captioner.CharacterPhrase(sign.Character)}"));
        parts.Add($"background: {Vocabulary.BackgroundPhrase(scene.Background)}, {Vocabulary.StylePhrase(scene.Style)}.");
        return string.Join(' ', parts);
    }
}
