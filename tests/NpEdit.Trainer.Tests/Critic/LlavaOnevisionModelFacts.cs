using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Models.Critic;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Critic;

public class LlavaOnevisionModelFacts
{
    public LlavaOnevisionModelFacts() => TorchTestEnvironment.Initialize(seed: 11);

    [Fact]
    public void VisionBlocks_HaveTheShapesOfTheConfig()
    {
        using var scope = NewDisposeScope();
        var config = TinyCritics.Model();
        var v = config.VisionConfig;
        var pixels = randn(2, 3, 16, 16);

        var patches = new SiglipEmbeddings(v).call(pixels);
        Assert.Equal(new long[] { 2, 16, 24 }, patches.shape);
        Assert.Equal(new long[] { 2, 16, 24 }, new SiglipAttention(v).call(patches).shape);
        Assert.Equal(new long[] { 2, 16, 24 }, new SiglipMlp(v).call(patches).shape);
        Assert.Equal(new long[] { 2, 16, 24 }, new SiglipEncoderLayer(v).call(patches).shape);
        Assert.Equal(new long[] { 2, 16, 24 }, new SiglipVisionTower(v, layersUsed: 2).call(pixels).shape);
        Assert.Equal(new long[] { 2, 16, 32 }, new MultiModalProjector(config).call(patches).shape);
    }

    [Fact]
    public void VisionTower_DropsTheRemainder_WhenTheImageIsNotAMultipleOfThePatch()
    {
        // LLaVA-OV's so400m-patch14-384: 384 = 27·14 + 6 gives 27² = 729 tokens (the default config must be valid).
        Assert.Equal(729, new SiglipVisionConfig().Validate().NumPatches);
        using var scope = NewDisposeScope();
        var v = TinyCritics.Model().VisionConfig with { ImageSize = 18 };      // patch 4: 4×4 patches, 2 px dropped
        Assert.Equal(new long[] { 2, 16, 24 }, new SiglipEmbeddings(v.Validate()).call(randn(2, 3, 18, 18)).shape);
        Assert.Throws<ArgumentException>(() => (v with { ImageSize = 3 }).Validate());
    }

    [Fact]
    public void TextBlocks_HaveTheShapesOfTheConfig()
    {
        using var scope = NewDisposeScope();
        var t = TinyCritics.Model().TextConfig;
        var x = randn(2, 5, 32);
        var mask = ones(2, 5, dtype: @bool);
        var (cos, sin) = RotaryEmbedding.Tables(arange(5).unsqueeze(0).expand(2, 5), t.HeadDim, t.RopeTheta, float32);
        var attend = ones(2, 1, 5, 5, dtype: @bool).tril();

        Assert.Equal(new long[] { 2, 1, 5, 8 }, cos.shape);
        Assert.Equal(new long[] { 2, 5, 32 }, new RmsNorm(32, 1e-6).call(x).shape);
        Assert.Equal(new long[] { 2, 5, 32 }, new Qwen2Attention(t).call(x, attend, cos, sin).shape);
        Assert.Equal(new long[] { 2, 5, 32 }, new Qwen2Mlp(t).call(x).shape);
        Assert.Equal(new long[] { 2, 5, 32 }, new Qwen2DecoderLayer(t).call(x, attend, cos, sin).shape);
        Assert.Equal(new long[] { 2, 5, 32 }, new Qwen2Model(t).call(x, mask).shape);
    }

    [Fact]
    public void RmsNorm_MatchesItsFormula()
    {
        using var scope = NewDisposeScope();
        var x = randn(3, 8);
        var expected = x / (x.pow(2).mean([-1], keepdim: true) + 1e-6).sqrt();

        Assert.True(new RmsNorm(8, 1e-6).call(x).allclose(expected, atol: 1e-6));
    }

    [Fact]
    public void Rope_RotatesPairsByPositionTimesFrequency_AndKeepsNorms()
    {
        using var scope = NewDisposeScope();
        var q = randn(1, 1, 3, 4);
        var (cos, sin) = RotaryEmbedding.Tables(arange(3).unsqueeze(0), headDim: 4, theta: 100, float32);

        var rotated = RotaryEmbedding.Apply(q, cos, sin);

        // Position 2, first frequency (θ^0 = 1): the pair (x0, x2) turns by 2 radians.
        var (a, b) = (q[0, 0, 2, 0].item<float>(), q[0, 0, 2, 2].item<float>());
        Assert.Equal(a * Math.Cos(2) - b * Math.Sin(2), rotated[0, 0, 2, 0].item<float>(), 5);
        Assert.Equal(b * Math.Cos(2) + a * Math.Sin(2), rotated[0, 0, 2, 2].item<float>(), 5);
        Assert.True(rotated.norm(-1).allclose(q.norm(-1), atol: 1e-5));
        Assert.True(rotated[.., .., 0].allclose(q[.., .., 0]));
    }

    [Fact]
    public void ImageTokens_AppendOneNewlinePerImage()
    {
        using var scope = NewDisposeScope();
        var model = new LlavaOnevisionModel(TinyCritics.Model());

        var tokens = model.ImageTokens(randn(3, 3, 16, 16));

        Assert.Equal(17, model.Config.TokensPerImage);
        Assert.Equal(new long[] { 3, 17, 32 }, tokens.shape);
        var newline = model.named_parameters().Single(p => p.name == "image_newline").parameter;
        Assert.True(tokens[.., -1].allclose(newline.expand(3, -1)));
    }

    [Fact]
    public void TwoImagePrompt_HasTheTemplateAndOneRunOfImagePositionsPerImage()
    {
        var config = TinyCritics.Config();
        var tokenizer = TinyCritics.Tokenizer;
        var prompts = new CriticPrompts(tokenizer, config.Template, config.Model);

        var rendered = config.Template.Render("Is the second image the same?", 2);
        var ids = prompts.Ids("Is the second image the same?", 2);

        Assert.Equal("<|im_start|>user <image><image>\nIs the second image the same?<|im_end|>\n<|im_start|>assistant\n", rendered);
        var image = tokenizer.ImageTokenId;
        long Id(string t) => tokenizer.Encode(t).Single();
        long[] expected =
        [
            Id("<|im_start|>"), Id("user"),
            .. Enumerable.Repeat(image, 2 * 17),
            Id("is"), Id("the"), Id("second"), Id("image"), Id("the"), Id("same"), Id("<|im_end|>"),
            Id("<|im_start|>"), Id("assistant"),
        ];
        Assert.Equal(expected, ids);
    }

    [Fact]
    public void QuestionFirstPrompt_PutsTheQuestionBeforeTheImages_AndStillEndsAtTheAnswerPosition()
    {
        var config = TinyCritics.Config() with { PromptLayout = CriticPromptLayout.QuestionFirst };
        var tokenizer = TinyCritics.Tokenizer;
        var prompts = new CriticPrompts(tokenizer, config.Template, config.Model);

        var rendered = config.Template.Render("Is the second image the same?", 2);
        var ids = prompts.Ids("Is the second image the same?", 2);

        Assert.Equal("<|im_start|>user Is the second image the same?\n<image><image><|im_end|>\n<|im_start|>assistant\n", rendered);
        long Id(string t) => tokenizer.Encode(t).Single();
        long[] expected =
        [
            Id("<|im_start|>"), Id("user"),
            Id("is"), Id("the"), Id("second"), Id("image"), Id("the"), Id("same"),
            .. Enumerable.Repeat(tokenizer.ImageTokenId, 2 * 17),
            Id("<|im_end|>"), Id("<|im_start|>"), Id("assistant"),
        ];
        Assert.Equal(expected, ids);
        Assert.Equal(CriticPromptLayout.ImagesFirst, TinyCritics.Config().PromptLayout);
    }

    [Fact]
    public void UnknownPromptLayout_IsRejected_WithTheChoices()
    {
        var ex = Assert.Throws<ArgumentException>(() => (TinyCritics.Config() with { PromptLayout = "images_last" }).Validate());
        Assert.Contains("question_first", ex.Message);
    }

    [Fact]
    public void SplicedImageFeatures_LandAtTheImagePositions_InPromptOrder()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var config = TinyCritics.Config();
        var model = new LlavaOnevisionModel(config.Model);
        var prompts = new CriticPrompts(TinyCritics.Tokenizer, config.Template, config.Model);
        var (ids, mask) = prompts.Batch(["is there a red circle"], 2, CPU);
        var images = randn(1, 34, 32);

        // Swapping the two images must change the answer: the decoder sees them at different positions.
        var logits = model.AnswerLogits(ids, mask, images);
        var swapped = model.AnswerLogits(ids, mask, cat([images[.., 17..], images[.., ..17]], 1));
        Assert.Equal(new long[] { 1, config.Model.TextConfig.VocabSize }, logits.shape);
        Assert.False(logits.allclose(swapped, atol: 1e-6));

        var ex = Assert.Throws<ArgumentException>(() => model.AnswerLogits(ids, mask, images[.., ..17]));
        Assert.Contains("image positions", ex.Message);
    }

    [Fact]
    public void LeftPadding_GivesTheSameAnswerLogitsAsRunningAlone()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var config = TinyCritics.Config(tied: false);
        var critic = new LlavaOnevisionCritic(new LlavaOnevisionModel(config.Model), TinyCritics.Tokenizer, config);
        var reference = rand(2, 3, 16, 16) * 2 - 1;
        var edited = rand(2, 3, 16, 16) * 2 - 1;
        string[] questions = ["is there a red circle", "is the second image the same as the image"];

        var batched = critic.AnswerLogits(reference, edited, questions);
        var alone = critic.AnswerLogits(reference[..1], edited[..1], questions[..1]);

        Assert.True(batched[..1].allclose(alone, atol: 1e-5));
        Assert.True(batched.isfinite().all().item<bool>());
    }

    [Fact]
    public void GradientReachesTheEditedImage_WhileNoCriticParameterGetsOne()
    {
        using var scope = NewDisposeScope();
        var config = TinyCritics.Config();
        using var critic = new LlavaOnevisionCritic(new LlavaOnevisionModel(config.Model), TinyCritics.Tokenizer, config);
        var reference = (rand(2, 3, 24, 24) * 2 - 1).requires_grad_();
        var edited = (rand(2, 3, 24, 24) * 2 - 1).requires_grad_();   // 24 px → 16 px: the resize is in the graph

        var logits = critic.AnswerLogits(reference, edited, ["is there a red circle", "is the second image the same"]);
        var loss = -nn.functional.logsigmoid(logits[.., critic.YesTokenId] - logits[.., critic.NoTokenId]).mean();
        loss.backward();

        var grad = edited.grad!;
        Assert.True(grad.isfinite().all().item<bool>());
        Assert.True(grad.abs().sum().item<float>() > 0);
        Assert.Null(reference.grad);   // reference features are computed under no_grad
        Assert.All(critic.Module.parameters(), p => Assert.Null(p.grad));
        Assert.All(critic.Module.parameters(), p => Assert.False(p.requires_grad));
    }

    [Fact]
    public void SingleImageQuestions_UseOneImage()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var config = TinyCritics.Config();
        using var critic = new LlavaOnevisionCritic(new LlavaOnevisionModel(config.Model), TinyCritics.Tokenizer, config);

        var p = critic.ProbabilityYes(null, rand(3, 3, 16, 16), ["is there a red circle", "is there a blue square", "a"]);

        Assert.Equal(new long[] { 3 }, p.shape);
        Assert.True((p > 0).all().item<bool>() && (p < 1).all().item<bool>());
    }

    [Fact]
    public void ImageProcessor_IsIdentityOnSiglipNormalisation_AtTheTowerSize()
    {
        using var scope = NewDisposeScope();
        var config = TinyCritics.Model();
        var x = rand(1, 3, 16, 16) * 2 - 1;

        Assert.True(CriticImageProcessor.Prepare(x, config).allclose(x, atol: 1e-6));
        Assert.Equal(new long[] { 1, 3, 16, 16 }, CriticImageProcessor.Prepare(rand(1, 3, 40, 40), config).shape);
        Assert.Throws<ArgumentException>(() => CriticImageProcessor.Prepare(rand(1, 1, 16, 16), config));
    }
}
