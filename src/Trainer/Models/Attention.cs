using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>
/// Multi-head self-attention with a fused qkv projection and an optional boolean key mask
/// (true = attend), computed by libtorch's scaled_dot_product_attention.
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly int numHeads;

    public Attention(int dim, int numHeads) : base(nameof(Attention))
    {
        if (dim % numHeads != 0)
            throw new ArgumentException($"Attention width {dim} must be divisible by the head count {numHeads}.");
        this.numHeads = numHeads;
        qkv = nn.Linear(dim, 3 * dim);
        proj = nn.Linear(dim, dim);
        RegisterComponents();
    }

    /// <param name="x">(N, S, D)</param>
    /// <param name="mask">(N, 1, 1, S) bool, true where a key may be attended, or null for no mask.</param>
    /// <returns>(N, S, D)</returns>
    public override Tensor forward(Tensor x, Tensor? mask)
    {
        var shape = x.shape;
        var (n, s, d) = (shape[0], shape[1], shape[2]);
        var heads = qkv.call(x).view(n, s, 3, numHeads, d / numHeads).permute(2, 0, 3, 1, 4).unbind(0); // 3 × (N, H, S, D/H)
        var (q, k, v) = (heads[0], heads[1], heads[2]);
        var y = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask: mask);          // (N, H, S, D/H)
        return proj.call(y.transpose(1, 2).reshape(n, s, d));                                 // (N, S, D)
    }
}
