using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>
/// LLaVA-OneVision (Li et al. 2024) as Hugging Face's <c>LlavaOnevisionForConditionalGeneration</c>, on the
/// multi-image path NP-Edit's questions use: each image is encoded by SigLIP, projected to the decoder width,
/// followed by one learned newline embedding (729 + 1 = 730 positions at 384 px), and spliced into the
/// token embeddings at its run of <c>&lt;image&gt;</c> positions. Keys follow HF's layout (see
/// <c>Critic.HfLlavaOnevisionKeys</c>).
/// </summary>
public sealed class LlavaOnevisionModel : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly SiglipVisionTower vision_tower;
    private readonly MultiModalProjector multi_modal_projector;
    private readonly Qwen2Model language_model;
    private readonly Parameter image_newline;
    private readonly Linear? lm_head;
    private readonly LlavaOnevisionConfig config;

    public LlavaOnevisionModel(LlavaOnevisionConfig config) : base(nameof(LlavaOnevisionModel))
    {
        this.config = config.Validate();
        vision_tower = new SiglipVisionTower(config.VisionConfig, config.VisionLayersUsed);
        multi_modal_projector = new MultiModalProjector(config);
        language_model = new Qwen2Model(config.TextConfig);
        using (var initial = zeros(config.TextConfig.HiddenSize))   // Parameter wraps its own handle; the initial one is ours to free
            image_newline = nn.Parameter(initial);
        if (!config.TextConfig.TieWordEmbeddings)
            lm_head = nn.Linear(config.TextConfig.HiddenSize, config.TextConfig.VocabSize, hasBias: false);
        RegisterComponents();
        InitializeWeights();
    }

    /// <summary>The resolved configuration.</summary>
    public LlavaOnevisionConfig Config => config;

    /// <summary>
    /// One image's positions in the sequence: SigLIP features at the configured layer → projector → newline.
    /// </summary>
    /// <param name="pixels">(N, C, S, S), already resized and normalised.</param>
    /// <returns>(N, T + 1, D_text)</returns>
    public Tensor ImageTokens(Tensor pixels)
    {
        var features = vision_tower.call(pixels);                                     // (N, T, D_vision)
        if (config.VisionFeatureSelectStrategy == "default")
            features = features[.., 1..];                                             // drop the CLS position
        var projected = multi_modal_projector.call(features);                         // (N, T, D)
        var newline = image_newline.to(projected.dtype).expand(projected.shape[0], 1, -1); // (N, 1, D)
        return cat([projected, newline], 1);                                          // (N, T + 1, D)
    }

    /// <param name="ids">(N, L) int64; each image occupies <see cref="LlavaOnevisionConfig.TokensPerImage"/> consecutive image-token ids.</param>
    /// <param name="attentionMask">(N, L) bool, false on left padding.</param>
    /// <param name="imageTokens">(N, k·(T + 1), D): the images of each row in prompt order, from <see cref="ImageTokens"/>.</param>
    /// <returns>(N, L, D) final hidden states.</returns>
    public override Tensor forward(Tensor ids, Tensor attentionMask, Tensor imageTokens)
    {
        var embeds = language_model.Embed(ids);                                       // (N, L, D)
        var isImage = ids.eq(config.ImageTokenIndex);                                 // (N, L)
        var perRow = isImage.sum(1);
        var (fewest, most) = (perRow.min().item<long>(), perRow.max().item<long>());
        if (fewest != imageTokens.shape[1] || most != imageTokens.shape[1])
            throw new ArgumentException(
                $"Every row needs exactly {imageTokens.shape[1]} image positions for its image features; the prompts hold between {fewest} and {most}.");
        // masked_scatter fills the image positions row by row in order, as HF does; gradients flow into imageTokens.
        embeds = embeds.masked_scatter(isImage.unsqueeze(-1).expand_as(embeds), imageTokens.to(embeds.dtype));
        return language_model.call(embeds, attentionMask);
    }

    /// <summary>The LM head: tied to the input embeddings or its own untied matrix.</summary>
    /// <param name="hidden">(…, D)</param>
    /// <returns>(…, V)</returns>
    public Tensor Head(Tensor hidden) =>
        lm_head is null ? nn.functional.linear(hidden, language_model.EmbeddingWeight) : lm_head.call(hidden);

    /// <summary>Logits at the last position of each row (the answer position under teacher forcing).</summary>
    /// <returns>(N, V)</returns>
    public Tensor AnswerLogits(Tensor ids, Tensor attentionMask, Tensor imageTokens) =>
        Head(call(ids, attentionMask, imageTokens)[.., -1]);

    /// <summary>HF's initialisation: N(0, 0.02) for linear, conv and embedding weights, zero biases; the newline N(0, 1/D).</summary>
    private void InitializeWeights()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name == nameof(image_newline))
                nn.init.normal_(p, std: 1.0 / Math.Sqrt(config.TextConfig.HiddenSize));
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
                p.zero_();
            else if (!name.Contains("norm", StringComparison.Ordinal))     // LayerNorm and RMSNorm weights stay 1
                nn.init.normal_(p, std: 0.02);
        }
    }
}
