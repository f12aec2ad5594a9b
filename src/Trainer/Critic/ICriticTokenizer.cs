namespace NpEdit.Trainer.Critic;

/// <summary>
/// Text → token ids for a critic. Special tokens written literally in the text (<c>&lt;image&gt;</c>,
/// <c>&lt;|im_start|&gt;</c>, <c>&lt;|im_end|&gt;</c>) become their single ids, as Hugging Face tokenizers do.
/// </summary>
public interface ICriticTokenizer
{
    /// <summary>Rows of the embedding table the ids index into.</summary>
    int VocabularySize { get; }

    /// <summary>Id used for left padding (never attended).</summary>
    long PadTokenId { get; }

    /// <summary>The ids of <paramref name="text"/>, special tokens included.</summary>
    long[] Encode(string text);

    /// <summary>The id of one token written exactly as in the vocabulary (e.g. "Yes"), or an error naming it.</summary>
    long TokenId(string token);
}
