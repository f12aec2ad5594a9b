using NpEdit.Trainer.Models.Critic;

namespace NpEdit.Trainer.Critic;

/// <summary>
/// Everything needed to rebuild a critic next to its weights: the model config (HF field names), the
/// tokenizer, the chat template and which token ids answer "Yes" and "No".
/// </summary>
public sealed record CriticConfig
{
    /// <summary>A preset or checkpoint name, for logs.</summary>
    public string Name { get; init; } = "critic";

    public LlavaOnevisionConfig Model { get; init; } = new();

    /// <summary><c>words</c> (<see cref="CriticWordTokenizer"/> over <see cref="Words"/>) or <c>qwen2</c> (byte-level BPE from <see cref="TokenizerFile"/>).</summary>
    public string TokenizerKind { get; init; } = "words";

    /// <summary>The vocabulary of a word-level tokenizer.</summary>
    public string[] Words { get; init; } = [];

    /// <summary>Path of <c>tokenizer.json</c> for a BPE tokenizer, relative to the weights' folder.</summary>
    public string? TokenizerFile { get; init; }

    /// <summary>Answer token "Yes" (Qwen2: 9454).</summary>
    public long YesTokenId { get; init; } = 9454;

    /// <summary>Answer token "No" (Qwen2: 2753).</summary>
    public long NoTokenId { get; init; } = 2753;

    public string? SystemPrompt { get; init; }

    /// <summary>Text after each <c>&lt;|im_end|&gt;</c> in the chat template.</summary>
    public string TurnSeparator { get; init; } = "\n";

    /// <summary>
    /// Where the prompt puts the images (<see cref="CriticPromptLayout"/>); stored with the checkpoint, so a critic is
    /// always asked the way it was trained. Configs written before the field existed read as images first.
    /// </summary>
    public string PromptLayout { get; init; } = CriticPromptLayout.ImagesFirst;

    /// <summary>Optimizer steps of critic pretraining behind these weights (0 for converted weights).</summary>
    public long Step { get; init; }

    public LlavaChatTemplate Template => new(SystemPrompt, TurnSeparator, PromptLayout);

    /// <summary>Rejects inconsistent settings.</summary>
    public CriticConfig Validate()
    {
        Model.Validate();
        var vocab = Model.TextConfig.VocabSize;
        if (YesTokenId < 0 || YesTokenId >= vocab || NoTokenId < 0 || NoTokenId >= vocab || YesTokenId == NoTokenId)
            throw new ArgumentException($"yes_token_id {YesTokenId} and no_token_id {NoTokenId} must be two different ids below vocab_size {vocab}.");
        if (!CriticPromptLayout.All.Contains(PromptLayout))
            throw new ArgumentException($"prompt_layout '{PromptLayout}' is not one of {string.Join(", ", CriticPromptLayout.All)}.");
        if (TokenizerKind is not ("words" or "qwen2"))
            throw new ArgumentException($"tokenizer_kind '{TokenizerKind}' is not 'words' or 'qwen2'.");
        if (TokenizerKind == "words" && Words.Length == 0)
            throw new ArgumentException("A word-level critic needs its word list (words).");
        if (TokenizerKind == "qwen2" && string.IsNullOrWhiteSpace(TokenizerFile))
            throw new ArgumentException("A qwen2 critic needs tokenizer_file (the tokenizer.json next to the weights).");
        return this;
    }
}
