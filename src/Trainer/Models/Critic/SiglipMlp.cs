using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>SigLIP MLP: fc1 → GELU (tanh approximation, HF's <c>gelu_pytorch_tanh</c>) → fc2.</summary>
public sealed class SiglipMlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly Linear fc2;

    public SiglipMlp(SiglipVisionConfig config) : base(nameof(SiglipMlp))
    {
        fc1 = nn.Linear(config.HiddenSize, config.IntermediateSize);
        fc2 = nn.Linear(config.IntermediateSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <param name="x">(N, T, D)</param>
    /// <returns>(N, T, D)</returns>
    public override Tensor forward(Tensor x) =>
        fc2.call(nn.functional.gelu(fc1.call(x), GELU.Approximate.tanh));
}
