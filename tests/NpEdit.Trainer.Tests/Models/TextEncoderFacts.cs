using NpEdit.Trainer.Models.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Models;

public class TextEncoderFacts
{
    public TextEncoderFacts() => TorchTestEnvironment.Initialize(seed: 5);

    [Fact]
    public void Tokenize_MapsKnownWordsCaseInsensitively_AndUnknownWordsToUnk()
    {
        var tokenizer = new WordTokenizer(["Red", "circle", "red", "a"], maxTokens: 8);

        Assert.Equal(["a", "circle", "red"], tokenizer.Words);
        Assert.Equal(6, tokenizer.VocabularySize);
        Assert.Equal([WordTokenizer.BosId, 3, 5, 4], tokenizer.Tokenize("A RED circle"));
        Assert.Equal([WordTokenizer.BosId, 5, WordTokenizer.UnkId, WordTokenizer.UnkId], tokenizer.Tokenize("red, zebra-unicorn!"));
        Assert.Equal([WordTokenizer.BosId], tokenizer.Tokenize(""));
        Assert.Equal(8, tokenizer.Tokenize(string.Join(' ', Enumerable.Repeat("red", 20))).Length);
    }

    [Fact]
    public void Batch_PadsAndMasks()
    {
        var tokenizer = new WordTokenizer(["red", "circle"], maxTokens: 4);

        var (ids, mask) = tokenizer.Batch(["red circle", ""]);

        Assert.Equal([2L, 4, 3, 0, 2, 0, 0, 0], ids);
        Assert.Equal([true, true, true, false, true, false, false, false], mask);
    }

    [Fact]
    public void Encode_ReturnsTokensAndMask_AndUnknownWordsDoNotCrash()
    {
        using var scope = NewDisposeScope();
        var config = TinyModels.Preset.Text;
        var encoder = new ShapesTextEncoder(config, TinyModels.Vocabulary);

        var encoding = encoder.Encode(["a red circle", "xylophone quantum §§ 🙂", ""], CPU);

        Assert.Equal([3, config.MaxTokens, config.Dim], encoding.Tokens.shape);
        Assert.Equal([3, config.MaxTokens], encoding.Mask.shape);
        Assert.Equal(4, encoding.Mask[0].sum().item<long>());
        Assert.Equal(1, encoding.Mask[2].sum().item<long>());
        Assert.False(encoding.Tokens.isnan().any().item<bool>());
        Assert.Equal(config.Dim, encoder.OutputDim);
    }

    [Fact]
    public void Encode_DependsOnTheWords()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var encoder = new ShapesTextEncoder(TinyModels.Preset.Text, TinyModels.Vocabulary);

        var e = encoder.Encode(["a red circle", "a blue circle"], CPU).Tokens;

        Assert.False(e[0].allclose(e[1]));
    }
}
