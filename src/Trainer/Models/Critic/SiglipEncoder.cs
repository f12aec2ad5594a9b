using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>The stack of SigLIP encoder layers (HF key prefix <c>encoder.layers.{i}</c>).</summary>
public sealed class SiglipEncoder : nn.Module<Tensor, int, Tensor>
{
    private readonly ModuleList<SiglipEncoderLayer> layers;

    public SiglipEncoder(SiglipVisionConfig config) : base(nameof(SiglipEncoder))
    {
        layers = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new SiglipEncoderLayer(config)).ToArray());
        RegisterComponents();
    }

    /// <param name="x">(N, T, D) patch embeddings.</param>
    /// <param name="layersToRun">How many layers to apply: HF's hidden_states[k] is the output after k layers.</param>
    /// <returns>(N, T, D)</returns>
    public override Tensor forward(Tensor x, int layersToRun)
    {
        for (var i = 0; i < layersToRun; i++)
            x = layers[i].call(x);
        return x;
    }
}
