using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>
/// Qwen2's RMSNorm: w · x / √(mean(x²) + ε), the statistics in fp32 and the result cast back before the
/// weight is applied, as HF's <c>Qwen2RMSNorm</c>. TorchSharp has no RMSNorm.
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double eps;

    public RmsNorm(int dim, double eps) : base(nameof(RmsNorm))
    {
        this.eps = eps;
        using (var initial = ones(dim))   // Parameter wraps its own handle; the initial one is ours to free
            weight = nn.Parameter(initial);
        RegisterComponents();
    }

    /// <param name="x">(…, D)</param>
    /// <returns>(…, D)</returns>
    public override Tensor forward(Tensor x)
    {
        var x32 = x.to(float32);
        var normed = x32 * rsqrt(x32.pow(2).mean([-1], keepdim: true) + eps);
        return weight * normed.to(x.dtype);
    }
}
