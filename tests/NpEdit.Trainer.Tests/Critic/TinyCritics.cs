using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Models.Critic;

namespace NpEdit.Trainer.Tests.Critic;

/// <summary>A tiny LLaVA-OneVision and word tokenizer for fast CPU tests.</summary>
internal static class TinyCritics
{
    public static readonly string[] Words = ["yes", "no", "user", "assistant", "is", "there", "a", "red", "blue", "circle", "square", "the", "second", "image", "same"];

    public static CriticWordTokenizer Tokenizer => new(Words);

    /// <summary>16-px images in 4-px patches (16 image tokens + 1 newline), 2 + 2 layers, width 32, GQA 4:2.</summary>
    public static LlavaOnevisionConfig Model(bool tied = true) => new()
    {
        VisionConfig = new SiglipVisionConfig { HiddenSize = 24, IntermediateSize = 48, NumHiddenLayers = 2, NumAttentionHeads = 2, ImageSize = 16, PatchSize = 4 },
        TextConfig = new Qwen2TextConfig
        {
            VocabSize = Tokenizer.VocabularySize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 2,
            NumAttentionHeads = 4, NumKeyValueHeads = 2, RopeTheta = 10000, TieWordEmbeddings = tied,
        },
        ImageTokenIndex = Tokenizer.ImageTokenId,
    };

    public static CriticConfig Config(bool tied = true)
    {
        var tokenizer = Tokenizer;
        return new CriticConfig
        {
            Name = "tiny",
            Model = Model(tied),
            Words = Words,
            YesTokenId = tokenizer.TokenId("Yes"),
            NoTokenId = tokenizer.TokenId("No"),
        };
    }
}
