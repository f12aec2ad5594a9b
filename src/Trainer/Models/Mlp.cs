using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>The transformer feed-forward: Linear → GELU (tanh approximation, as DiT) → Linear.</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    private readonly Linear fc1;
    private readonly GELU act;
    private readonly Linear fc2;

    public Mlp(int dim, int hidden) : base(nameof(Mlp))
    {
        fc1 = nn.Linear(dim, hidden);
        act = nn.GELU(GELU.Approximate.tanh);
        fc2 = nn.Linear(hidden, dim);
        RegisterComponents();
    }

    /// <param name="x">(…, D)</param>
    /// <returns>(…, D)</returns>
    public override Tensor forward(Tensor x) => fc2.call(act.call(fc1.call(x)));
}
