using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Text;

/// <summary>A pre-LN transformer encoder layer: x + Attn(LN(x)), then x + MLP(LN(x)).</summary>
public sealed class TextEncoderLayer : nn.Module<Tensor, Tensor?, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly Attention attn;
    private readonly LayerNorm norm2;
    private readonly Mlp mlp;

    public TextEncoderLayer(int dim, int numHeads, int mlpHidden) : base(nameof(TextEncoderLayer))
    {
        norm1 = nn.LayerNorm(dim);
        attn = new Attention(dim, numHeads);
        norm2 = nn.LayerNorm(dim);
        mlp = new Mlp(dim, mlpHidden);
        RegisterComponents();
    }

    /// <param name="x">(N, L, D)</param>
    /// <param name="mask">(N, 1, 1, L) bool key mask, or null.</param>
    /// <returns>(N, L, D)</returns>
    public override Tensor forward(Tensor x, Tensor? mask)
    {
        x = x + attn.call(norm1.call(x), mask);
        return x + mlp.call(norm2.call(x));
    }
}
