namespace NpEdit.Trainer.Models.Critic;

/// <summary>
/// A LLaVA-OneVision model: SigLIP tower → 2-layer MLP projector → Qwen2 decoder. Property names map to
/// Hugging Face's <c>LlavaOnevisionConfig</c> in snake case (<c>image_token_index</c>,
/// <c>projector_hidden_act</c>, <c>vision_feature_layer</c>, …); <see cref="ImageMean"/> and
/// <see cref="ImageStd"/> come from the checkpoint's <c>preprocessor_config.json</c>.
/// </summary>
public sealed record LlavaOnevisionConfig
{
    public SiglipVisionConfig VisionConfig { get; init; } = new();
    public Qwen2TextConfig TextConfig { get; init; } = new();

    /// <summary>Id of the <c>&lt;image&gt;</c> placeholder token (Qwen2 LLaVA-OV: 151646).</summary>
    public long ImageTokenIndex { get; init; } = 151646;

    /// <summary>Activation between the projector's two linears: <c>gelu</c> (erf) or <c>gelu_pytorch_tanh</c>.</summary>
    public string ProjectorHiddenAct { get; init; } = "gelu";

    public bool MultimodalProjectorBias { get; init; } = true;

    /// <summary>Which hidden state of the tower feeds the projector: −1 = the last layer's output (before post-LN), as HF's <c>hidden_states[-1]</c>.</summary>
    public int VisionFeatureLayer { get; init; } = -1;

    /// <summary><c>full</c> keeps every patch token (SigLIP has no CLS token); <c>default</c> would drop the first.</summary>
    public string VisionFeatureSelectStrategy { get; init; } = "full";

    /// <summary>Per-channel mean of the processor's normalisation on [0, 1] pixels (SigLIP: 0.5).</summary>
    public double[] ImageMean { get; init; } = [0.5, 0.5, 0.5];

    /// <summary>Per-channel std of the processor's normalisation (SigLIP: 0.5).</summary>
    public double[] ImageStd { get; init; } = [0.5, 0.5, 0.5];

    /// <summary>Encoder layers to run: HF's hidden_states[k] is the output of layer k (0 = embeddings).</summary>
    public int VisionLayersUsed =>
        VisionFeatureLayer < 0 ? VisionConfig.NumHiddenLayers + 1 + VisionFeatureLayer : VisionFeatureLayer;

    /// <summary>Sequence positions one image takes on the multi-image path: its patch tokens plus one newline.</summary>
    public int TokensPerImage =>
        VisionConfig.NumPatches - (VisionFeatureSelectStrategy == "default" ? 1 : 0) + 1;

    /// <summary>Rejects inconsistent settings with a message naming the field.</summary>
    public LlavaOnevisionConfig Validate()
    {
        VisionConfig.Validate();
        TextConfig.Validate();
        if (VisionLayersUsed < 1 || VisionLayersUsed > VisionConfig.NumHiddenLayers)
            throw new ArgumentException($"vision_feature_layer {VisionFeatureLayer} selects no encoder layer of {VisionConfig.NumHiddenLayers}.");
        if (VisionFeatureSelectStrategy is not ("full" or "default"))
            throw new ArgumentException($"vision_feature_select_strategy '{VisionFeatureSelectStrategy}' is not 'full' or 'default'.");
        if (ProjectorHiddenAct is not ("gelu" or "gelu_pytorch_tanh"))
            throw new ArgumentException($"projector_hidden_act '{ProjectorHiddenAct}' is not supported (use 'gelu' or 'gelu_pytorch_tanh').");
        if (ImageTokenIndex < 0 || ImageTokenIndex >= TextConfig.VocabSize)
            throw new ArgumentException($"image_token_index {ImageTokenIndex} lies outside the vocabulary of {TextConfig.VocabSize}.");
        if (ImageMean.Length != VisionConfig.NumChannels || ImageStd.Length != VisionConfig.NumChannels || ImageStd.Any(s => s <= 0))
            throw new ArgumentException("image_mean and image_std need one value per channel, and std must be positive.");
        return this;
    }
}
