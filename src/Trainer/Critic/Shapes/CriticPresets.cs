using NpEdit.Trainer.Models.Critic;

namespace NpEdit.Trainer.Critic.Shapes;

/// <summary>Critic sizes for ShapesWorld.</summary>
public static class CriticPresets
{
    /// <summary>
    /// The ShapesWorld demo critic: 64-px images in 8-px patches (64 + 1 positions per image), 4 SigLIP layers of
    /// width 128, 4 Qwen2 layers of width 128 with 4 query and 2 KV heads, a word-level vocabulary. HF's images-first
    /// prompt layout: the question-first layout (<see cref="CriticPretrainConfig.PromptLayout"/>) learns presence from
    /// ground-truth image tokens with the grounding loss, but with the vision tower it did not beat this layout in
    /// 1,000 steps (bench/RESULTS.md, critic section).
    /// </summary>
    public static CriticConfig ShapesMini()
    {
        var tokenizer = new CriticWordTokenizer(ShapesCriticVocabulary.Words);
        return new CriticConfig
        {
            Name = "shapes-mini",
            Model = new LlavaOnevisionConfig
            {
                VisionConfig = new SiglipVisionConfig
                {
                    HiddenSize = 128, IntermediateSize = 256, NumHiddenLayers = 4, NumAttentionHeads = 4,
                    ImageSize = ShapesCriticData.ImageSize, PatchSize = 8,
                },
                TextConfig = new Qwen2TextConfig
                {
                    VocabSize = tokenizer.VocabularySize, HiddenSize = 128, IntermediateSize = 256, NumHiddenLayers = 4,
                    NumAttentionHeads = 4, NumKeyValueHeads = 2, RopeTheta = 10000, TieWordEmbeddings = true,
                },
                ImageTokenIndex = tokenizer.ImageTokenId,
            },
            Words = [.. tokenizer.Words],
            YesTokenId = tokenizer.TokenId("Yes"),
            NoTokenId = tokenizer.TokenId("No"),
        };
    }

    /// <summary>
    /// <see cref="ShapesMini"/> in 16-px patches: 16 + 1 positions per image instead of 64 + 1, so a two-image question
    /// is ≈ 129 positions instead of ≈ 217 and a pretraining step costs ≈ 0.3 instead of ≈ 0.65 CPU-s
    /// (bench/RESULTS.md, critic section, has what it reaches in the same CPU time).
    /// </summary>
    public static CriticConfig ShapesMini16()
    {
        var mini = ShapesMini();
        return mini with
        {
            Name = "shapes-mini-16",
            Model = mini.Model with { VisionConfig = mini.Model.VisionConfig with { PatchSize = 16 } },
        };
    }

    /// <summary>
    /// The small side of the critic-size ablation (paper Table 4: LLaVA-OneVision 0.5B vs 7B, ≈ 14× the parameters):
    /// <see cref="ShapesMini16"/> at half the width and half the depth — 2 SigLIP and 2 Qwen2 layers of width 64, 4 query
    /// and 2 KV heads of 16 dimensions — ≈ 0.2M parameters against ≈ 1.3M (<c>experiments/grids/grid-table4-critic-size</c>).
    /// </summary>
    public static CriticConfig ShapesTiny16()
    {
        var mini16 = ShapesMini16();
        return mini16 with
        {
            Name = "shapes-tiny-16",
            Model = mini16.Model with
            {
                VisionConfig = mini16.Model.VisionConfig with { HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2 },
                TextConfig = mini16.Model.TextConfig with { HiddenSize = 64, IntermediateSize = 128, NumHiddenLayers = 2 },
            },
        };
    }

    /// <summary>
    /// <see cref="ShapesMini"/> seeing each ShapesWorld cell as one patch: the 64-px render resampled to
    /// <paramref name="imageSize"/> px in patches of a third of that, so the 3×3 patch grid lies on the scene's 3×3 cell
    /// grid and each object sits whole in one patch token (9 + 1 positions per image). With 8- or 16-px patches an object
    /// straddles 2–4 patches that it shares with its neighbours, and a token has to gather colour and shape from several.
    /// </summary>
    public static CriticConfig ShapesMiniCells(string name, int imageSize)
    {
        var mini = ShapesMini();
        return mini with
        {
            Name = name,
            Model = mini.Model with { VisionConfig = mini.Model.VisionConfig with { ImageSize = imageSize, PatchSize = imageSize / 3 } },
        };
    }

    /// <summary>The preset called <paramref name="name"/>.</summary>
    public static CriticConfig ByName(string name) => name switch
    {
        "shapes-mini" => ShapesMini(),
        "shapes-mini-16" => ShapesMini16(),
        "shapes-tiny-16" => ShapesTiny16(),
        "shapes-mini-cells" => ShapesMiniCells(name, 48),
        "shapes-mini-cells-96" => ShapesMiniCells(name, 96),
        _ => throw new ArgumentException($"Unknown critic preset '{name}'; available: shapes-mini, shapes-mini-16, shapes-tiny-16, shapes-mini-cells, shapes-mini-cells-96."),
    };
}
