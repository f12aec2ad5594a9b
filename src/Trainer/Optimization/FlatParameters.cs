using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Optimization;

/// <summary>
/// Parameters of one device and dtype re-pointed into one contiguous buffer: each Parameter object stays what its
/// module holds, but its storage becomes a view of <see cref="Data"/> (Tensor.set_ under no_grad) and its
/// <c>.grad</c> a view of <see cref="Grad"/>. Autograd accumulates into an existing gradient in place, so after a
/// backward <see cref="Grad"/> holds every gradient, and kernels over the two buffers act on the whole model
/// (the layout PyTorch's DDP uses with gradient_as_bucket_view).
/// </summary>
internal sealed class FlatParameters : IDisposable
{
    private readonly Parameter[] parameters;
    private readonly long[] offsets;

    public FlatParameters(IReadOnlyList<Parameter> parameters)
    {
        if (parameters.Count == 0)
            throw new ArgumentException("No parameters to flatten.", nameof(parameters));
        var first = parameters[0];
        if (parameters.Any(p => p.dtype != first.dtype || p.device_type != first.device_type || p.device_index != first.device_index))
            throw new ArgumentException("Flat parameters must share one device and dtype; group them first.", nameof(parameters));
        this.parameters = [.. parameters];
        offsets = new long[parameters.Count + 1];
        for (var i = 0; i < parameters.Count; i++)
            offsets[i + 1] = offsets[i] + parameters[i].numel();
        Data = empty(offsets[^1], dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        Grad = zeros(offsets[^1], dtype: first.dtype, device: first.device).DetachFromDisposeScope();
        using var _ = no_grad();
        for (var i = 0; i < parameters.Count; i++)
        {
            var p = this.parameters[i];
            using var view = View(Data, i);
            view.copy_(p);
            var aliased = p.set_(view);
            if (!ReferenceEquals(aliased, p))
                aliased.Dispose();                        // in 0.107 set_ returns p itself: dispose only a distinct handle
            if (!p.requires_grad)
                continue;                                 // frozen weights (an EMA copy) get no gradient view
            using var gradView = View(Grad, i);
            p.grad = gradView;
        }
    }

    /// <summary>Every parameter's values, end to end in the order given.</summary>
    public Tensor Data { get; }

    /// <summary>Every parameter's gradient, laid out as <see cref="Data"/>.</summary>
    public Tensor Grad { get; }

    public IReadOnlyList<Parameter> Parameters => parameters;

    public ScalarType DType => Data.dtype;

    public Device Device => Data.device;

    /// <summary>Element count of each parameter, in order (a saved state checks its layout against it).</summary>
    public long[] Numels => [.. parameters.Select(p => p.numel())];

    /// <summary>Parameter <paramref name="index"/>'s slice of a buffer laid out as <see cref="Data"/>, in its shape.</summary>
    public Tensor View(Tensor flat, int index)
    {
        using var slice = flat.narrow(0, offsets[index], offsets[index + 1] - offsets[index]);
        return slice.view(parameters[index].shape);
    }

    public void Dispose()
    {
        Data.Dispose();
        Grad.Dispose();
    }
}
