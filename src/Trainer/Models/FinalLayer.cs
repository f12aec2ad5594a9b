using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>DiT's final layer: adaLN (shift, scale) then a linear map from D to the p·p·C values of a patch.</summary>
public sealed class FinalLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly LayerNorm norm_final;
    private readonly Linear linear;
    private readonly Sequential adaLN_modulation;

    public FinalLayer(int hidden, int patchSize, int outChannels) : base(nameof(FinalLayer))
    {
        norm_final = nn.LayerNorm(hidden, eps: 1e-6, elementwise_affine: false);
        linear = nn.Linear(hidden, patchSize * patchSize * outChannels);
        adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(hidden, 2 * hidden));
        RegisterComponents();
    }

    /// <summary>The output projection and the modulation regression, both zero-initialised by <see cref="DiT"/>.</summary>
    internal IEnumerable<Linear> ZeroInitialised => [linear, (Linear)adaLN_modulation[1]];

    /// <param name="x">(N, T, D) target tokens.</param>
    /// <param name="c">(N, 1, D) conditioning.</param>
    /// <returns>(N, T, p·p·C)</returns>
    public override Tensor forward(Tensor x, Tensor c)
    {
        var mod = adaLN_modulation.call(c).chunk(2, dim: -1);                      // 2 × (N, 1, D)
        return linear.call(AdaLN.Modulate(norm_final.call(x), mod[0], mod[1]));    // (N, T, p·p·C)
    }
}
