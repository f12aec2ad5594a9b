namespace NpEdit.Trainer.Critic;

/// <summary>Where a critic prompt puts the images relative to the question (<see cref="LlavaChatTemplate"/>).</summary>
public static class CriticPromptLayout
{
    /// <summary>
    /// Hugging Face LLaVA-OneVision's layout, <c>&lt;image&gt;…\n{question}</c>: what real weights were trained on,
    /// and what a checkpoint without a layout (older configs) uses.
    /// </summary>
    public const string ImagesFirst = "images_first";

    /// <summary>
    /// <c>{question}\n&lt;image&gt;…</c>: with causal attention every image token can attend to the question, so it
    /// can check "am I the named object / the instructed change" itself (InstructBLIP's instruction-aware visual
    /// reading) and the answer position only pools; only for critics trained this way (the ShapesWorld presets).
    /// </summary>
    public const string QuestionFirst = "question_first";

    public static readonly string[] All = [ImagesFirst, QuestionFirst];
}
