using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>One pre-norm Qwen2 decoder layer: x + Attn(RMSNorm(x)), then x + SwiGLU(RMSNorm(x)).</summary>
public sealed class Qwen2DecoderLayer : nn.Module<Tensor, Tensor, Tensor, Tensor, Tensor>
{
    private readonly RmsNorm input_layernorm;
    private readonly Qwen2Attention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly Qwen2Mlp mlp;

    public Qwen2DecoderLayer(Qwen2TextConfig config) : base(nameof(Qwen2DecoderLayer))
    {
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        self_attn = new Qwen2Attention(config);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps);
        mlp = new Qwen2Mlp(config);
        RegisterComponents();
    }

    /// <param name="x">(N, L, D)</param>
    /// <param name="mask">(N, 1, L, L) bool.</param>
    /// <param name="cos">(N, 1, L, d)</param>
    /// <param name="sin">(N, 1, L, d)</param>
    /// <returns>(N, L, D)</returns>
    public override Tensor forward(Tensor x, Tensor mask, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();   // frees the unsaved temporaries per layer (see DiTBlock)
        x = x + self_attn.call(input_layernorm.call(x), mask, cos, sin);
        return (x + mlp.call(post_attention_layernorm.call(x))).MoveToOuterDisposeScope();
    }
}
