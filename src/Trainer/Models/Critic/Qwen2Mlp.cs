using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>Qwen2's SwiGLU MLP without biases: down(SiLU(gate(x)) ⊙ up(x)).</summary>
public sealed class Qwen2Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear gate_proj;
    private readonly Linear up_proj;
    private readonly Linear down_proj;

    public Qwen2Mlp(Qwen2TextConfig config) : base(nameof(Qwen2Mlp))
    {
        gate_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        up_proj = nn.Linear(config.HiddenSize, config.IntermediateSize, hasBias: false);
        down_proj = nn.Linear(config.IntermediateSize, config.HiddenSize, hasBias: false);
        RegisterComponents();
    }

    /// <param name="x">(N, L, D)</param>
    /// <returns>(N, L, D)</returns>
    public override Tensor forward(Tensor x) =>
        down_proj.call(nn.functional.silu(gate_proj.call(x)) * up_proj.call(x));
}
