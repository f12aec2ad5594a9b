using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>One pre-LN SigLIP encoder layer: x + Attn(LN₁(x)), then x + MLP(LN₂(x)).</summary>
public sealed class SiglipEncoderLayer : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm layer_norm1;
    private readonly SiglipAttention self_attn;
    private readonly LayerNorm layer_norm2;
    private readonly SiglipMlp mlp;

    public SiglipEncoderLayer(SiglipVisionConfig config) : base(nameof(SiglipEncoderLayer))
    {
        layer_norm1 = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        self_attn = new SiglipAttention(config);
        layer_norm2 = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        mlp = new SiglipMlp(config);
        RegisterComponents();
    }

    /// <param name="x">(N, T, D)</param>
    /// <returns>(N, T, D)</returns>
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();   // frees the unsaved temporaries per layer (see DiTBlock)
        x = x + self_attn.call(layer_norm1.call(x));
        return (x + mlp.call(layer_norm2.call(x))).MoveToOuterDisposeScope();
    }
}
