using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>
/// The SigLIP vision tower as LLaVA-OneVision uses it: patch embeddings, then the encoder up to the configured
/// feature layer. The post-LayerNorm and attention-pool head are never used (the feature is HF's
/// <c>hidden_states[vision_feature_layer]</c>), so they are not built.
/// </summary>
public sealed class SiglipVisionTower : nn.Module<Tensor, Tensor>
{
    private readonly SiglipEmbeddings embeddings;
    private readonly SiglipEncoder encoder;
    private readonly int layersUsed;

    public SiglipVisionTower(SiglipVisionConfig config, int layersUsed) : base(nameof(SiglipVisionTower))
    {
        this.layersUsed = layersUsed;
        embeddings = new SiglipEmbeddings(config);
        encoder = new SiglipEncoder(config);
        RegisterComponents();
    }

    /// <param name="pixels">(N, C, S, S), normalised.</param>
    /// <returns>(N, T, D_vision)</returns>
    public override Tensor forward(Tensor pixels) => encoder.call(embeddings.call(pixels), layersUsed);
}
