using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>The LLaVA projector: Linear(D_vision → D_text) → GELU → Linear(D_text → D_text).</summary>
public sealed class MultiModalProjector : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear_1;
    private readonly Linear linear_2;
    private readonly bool tanhGelu;

    public MultiModalProjector(LlavaOnevisionConfig config) : base(nameof(MultiModalProjector))
    {
        var (vision, text) = (config.VisionConfig.HiddenSize, config.TextConfig.HiddenSize);
        linear_1 = nn.Linear(vision, text, hasBias: config.MultimodalProjectorBias);
        linear_2 = nn.Linear(text, text, hasBias: config.MultimodalProjectorBias);
        tanhGelu = config.ProjectorHiddenAct == "gelu_pytorch_tanh";
        RegisterComponents();
    }

    /// <param name="features">(N, T, D_vision)</param>
    /// <returns>(N, T, D_text)</returns>
    public override Tensor forward(Tensor features)
    {
        var h = linear_1.call(features);
        h = tanhGelu ? nn.functional.gelu(h, GELU.Approximate.tanh) : nn.functional.gelu(h);
        return linear_2.call(h);
    }
}
