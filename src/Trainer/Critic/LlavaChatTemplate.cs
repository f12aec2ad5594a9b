using System.Text;

namespace NpEdit.Trainer.Critic;

/// <summary>
/// LLaVA-OneVision's chat template (HF <c>chat_template.json</c>): each turn is
/// <c>&lt;|im_start|&gt;{role} </c>, one <c>&lt;image&gt;</c> per image, then <c>\n{text}</c> and
/// <c>&lt;|im_end|&gt;</c>; the generation prompt <c>&lt;|im_start|&gt;assistant\n</c> ends the prompt, so the
/// last position is where the answer token is predicted (teacher forcing, §4.2). With
/// <see cref="CriticPromptLayout.QuestionFirst"/> the user turn is <c>{text}\n</c> and then the images.
/// </summary>
/// <param name="SystemPrompt">An optional system turn (HF's tests use "You are a helpful assistant.").</param>
/// <param name="TurnSeparator">Text after each <c>&lt;|im_end|&gt;</c>: "\n" in the hub's template, "" in HF's processor tests.</param>
/// <param name="Layout">A <see cref="CriticPromptLayout"/> value: images before the question (HF) or after it.</param>
public sealed record LlavaChatTemplate(string? SystemPrompt = null, string TurnSeparator = "\n", string Layout = CriticPromptLayout.ImagesFirst)
{
    public const string ImageToken = "<image>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";

    /// <summary>The prompt text for one question about <paramref name="imageCount"/> images.</summary>
    public string Render(string question, int imageCount)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentOutOfRangeException.ThrowIfNegative(imageCount);
        var text = new StringBuilder();
        if (SystemPrompt is not null)
            text.Append(ImStart).Append("system \n").Append(SystemPrompt).Append(ImEnd).Append(TurnSeparator);
        text.Append(ImStart).Append("user ");
        var images = string.Concat(Enumerable.Repeat(ImageToken, imageCount));
        if (Layout == CriticPromptLayout.QuestionFirst)
            text.Append(question).Append('\n').Append(images);
        else
            text.Append(images).Append('\n').Append(question);
        text.Append(ImEnd).Append(TurnSeparator);
        return text.Append(ImStart).Append("assistant\n").ToString();
    }
}
