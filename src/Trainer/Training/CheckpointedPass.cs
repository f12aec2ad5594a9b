using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Training;

/// <summary>
/// Activation checkpointing of one generator pass, as a custom autograd Function (TorchSharp has no
/// <c>torch.utils.checkpoint</c>; the pattern of torchsharp.md §4). The forward runs without a graph and keeps only its
/// input; the backward re-runs the pass with gradients on and returns the gradients of the input and the parameters.
/// Trades one extra forward per pass for not storing the pass's activations (the large presets' memory).
/// The pass must be deterministic (the DiT has no dropout), and nothing in backward may throw: a managed exception
/// there ends the process, so every check happens before <see cref="Apply"/>.
/// </summary>
internal sealed class CheckpointedPass : autograd.SingleTensorFunction<CheckpointedPass>
{
    public override string Name => nameof(CheckpointedPass);

    /// <summary>pass(x), differentiable w.r.t. x and <paramref name="parameters"/>, without keeping the pass's activations.</summary>
    public static Tensor Apply(Func<Tensor, Tensor> pass, Tensor x, IReadOnlyList<Tensor> parameters) =>
        apply([pass, x, .. parameters]);

    /// <param name="ctx">The node's context.</param>
    /// <param name="vars">[the pass, x, parameters…].</param>
    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[1];
        ctx.save_for_backward([x]);
        ctx.save_data("pass", vars[0]);
        ctx.save_data("parameters", vars.Skip(2).Cast<Tensor>().ToArray());
        ctx.save_data("x_requires_grad", x.requires_grad);
        return ((Func<Tensor, Tensor>)vars[0])(x);
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var x = ctx.get_saved_variables()[0];
        var pass = (Func<Tensor, Tensor>)ctx.get_data("pass");
        var parameters = (Tensor[])ctx.get_data("parameters");
        var needsX = (bool)ctx.get_data("x_requires_grad");
        using var _ = enable_grad();
        var xd = x.detach().requires_grad_(needsX);
        var y = pass(xd);                                                            // recompute with a graph
        var trainable = parameters.Select((p, i) => (p, i)).Where(pi => pi.p.requires_grad).ToArray();
        var inputs = (needsX ? new[] { xd } : []).Concat(trainable.Select(pi => pi.p)).ToList();
        var grads = autograd.grad([y], inputs, [grad_output], allow_unused: true);
        var result = new Tensor?[2 + parameters.Length];                            // one slot per forward argument
        var k = 0;
        if (needsX)
            result[1] = grads[k++];
        foreach (var (_, i) in trainable)
            result[2 + i] = grads[k++];
        return [.. result.Select(g => g!)];
    }
}
