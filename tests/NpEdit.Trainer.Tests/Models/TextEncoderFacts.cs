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

    [Fact]
    public void NumberedBatch_GivesEachUnknownWordOneIdPastTheVocabulary()
    {
        var tokenizer = new WordTokenizer(["red", "circle", "the"], maxTokens: 8);
        string[] captions = ["rotate the red circle clockwise", "rotate the circle counterclockwise"];

        var (ids, mask, unknown) = tokenizer.Batch(captions, numberUnknownWords: true);
        var (unkIds, unkMask) = tokenizer.Batch(captions);

        Assert.Equal(["rotate", "clockwise", "counterclockwise"], unknown);
        Assert.Equal([2L, 6, 5, 4, 3, 7, 0, 0, 2, 6, 5, 3, 8, 0, 0, 0], ids);
        Assert.Equal([2L, 1, 5, 4, 3, 1, 0, 0, 2, 1, 5, 3, 1, 0, 0, 0], unkIds);
        Assert.Equal(unkMask, mask);
    }

    [Fact]
    public void HashedUnknownWords_ReadApart_AndKnownWordsReadExactlyAsBefore()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var encoder = new ShapesTextEncoder(TinyModels.Preset.Text, TinyModels.Vocabulary);
        string[] captions = ["erase the red circle", "delete the red circle", "remove the red circle"];

        var unk = encoder.Encode(captions, CPU, hashUnknownWords: false).Tokens;
        var hashed = encoder.Encode(captions, CPU, hashUnknownWords: true).Tokens;
        var alone = encoder.Encode(["delete the red circle"], CPU, hashUnknownWords: true).Tokens;

        Assert.True(unk[0].Equals(unk[1]));                // both verbs are the one UNK token
        Assert.False(hashed[0].allclose(hashed[1], atol: 1e-4));         // each its own vector
        Assert.True(hashed[2].Equals(unk[2]));             // every word known: unchanged
        Assert.True(alone[0].allclose(hashed[1], atol: 1e-6));          // a word's vector does not depend on the batch
    }

    [Fact]
    public void UnknownWordVector_IsAStandardNormalDrawFixedByTheSpelling()
    {
        var clockwise = ShapesTextEncoder.UnknownWordVector("clockwise", 4096);
        var counter = ShapesTextEncoder.UnknownWordVector("counterclockwise", 4096);

        Assert.Equal(clockwise, ShapesTextEncoder.UnknownWordVector("clockwise", 4096));
        Assert.NotEqual(clockwise, counter);
        var mean = clockwise.Average();
        var std = Math.Sqrt(clockwise.Select(v => (v - mean) * (v - mean)).Average());
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(std, 0.95, 1.05);
        // Saved editors read their unknown words through these values: a change here changes every such checkpoint.
        Assert.Equal(PinnedClockwise, clockwise.Take(3).Select(v => Math.Round(v, 5)).ToArray());
    }

    private static readonly double[] PinnedClockwise = [-0.22558, 1.23244, -0.22534];

    [Fact]
    public void Coverage_CountsUnknownWords_AndTextsCutAtMaxTokens()
    {
        var tokenizer = new WordTokenizer(["red", "circle", "the"], maxTokens: 4);

        var coverage = tokenizer.Coverage(["rotate the red circle", "the red circle", "", "erase it"]);

        Assert.Equal((9, 3, 1), coverage);   // "rotate", "erase", "it"; only the first has more than 3 words
    }
}
