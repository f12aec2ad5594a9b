using NpEdit.Trainer.Critic;

namespace NpEdit.Trainer.Tests.Critic;

public class Qwen2TokenizerFacts
{
    static readonly Qwen2Tokenizer Tokenizer = Qwen2Tokenizer.FromFile(Fixtures.Path("tokenizer", "tokenizer.json"));

    [Theory]
    [InlineData("Yes")]
    [InlineData("Is the red circle there? No.")]
    [InlineData("<|im_start|>user <image><image>\nIs the red one the same?<|im_end|>\n<|im_start|>assistant\n")]
    [InlineData("tabs\tand  double  spaces\n\nnewlines")]
    [InlineData("naïve café — 日本語 🙂")]
    [InlineData("")]
    public void EncodeThenDecode_GivesTheTextBack(string text) =>
        Assert.Equal(text, Tokenizer.Decode(Tokenizer.Encode(text)));

    [Fact]
    public void Merges_ApplyByRank_AndSpecialTokensAreSingleIds()
    {
        Assert.Equal([257L], Tokenizer.Encode("Yes"));
        Assert.Equal([258L], Tokenizer.Encode("No"));
        Assert.Equal(257, Tokenizer.TokenId("Yes"));
        // The split regex keeps " the" and " red" whole (leading space = Ġ); merges then build them. Byte b has id b here.
        Assert.Equal([(long)'I', 's', 261, 268], Tokenizer.Encode("Is the red"));
        Assert.Equal([271L, 273, 273, 272], Tokenizer.Encode("<|im_start|><image><image><|im_end|>"));
        Assert.Equal(274, Tokenizer.VocabularySize);
        Assert.Equal(270, Tokenizer.PadTokenId);
    }

    [Fact]
    public void UnknownTokenAndMissingFile_GiveClearErrors()
    {
        Assert.Throws<ArgumentException>(() => Tokenizer.TokenId("Maybe"));
        var ex = Assert.Throws<FileNotFoundException>(() => Qwen2Tokenizer.FromFile("/nonexistent/tokenizer.json"));
        Assert.Contains("tokenizer.json", ex.Message);
    }
}
