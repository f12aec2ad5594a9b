using static TorchSharp.torch;

namespace NpEdit.Trainer.Optimization;

/// <summary>
/// One (device, dtype) group of <see cref="FlatAdam"/>: the flat parameters, the weights Adam updates (the flat
/// buffer itself, or an fp32 master copy of it under mixed precision) and the Adam moments, all laid out alike.
/// </summary>
internal sealed class FlatAdamGroup : IDisposable
{
    private Tensor? upcastGrad;

    /// <param name="parameters">The module's parameters, already flat.</param>
    /// <param name="master">fp32 master weights laid out as <paramref name="parameters"/>; null when the parameters are their own masters.</param>
    /// <param name="firstMoment">False when β1 = 0: the first moment then equals the gradient and is not stored.</param>
    public FlatAdamGroup(FlatParameters parameters, Tensor? master, bool firstMoment)
    {
        Parameters = parameters;
        Master = master ?? parameters.Data;
        HasSeparateMaster = master is not null;
        ExpAvg = firstMoment ? zeros_like(Master).DetachFromDisposeScope() : null;
        ExpAvgSq = zeros_like(Master).DetachFromDisposeScope();
    }

    public FlatParameters Parameters { get; }

    /// <summary>The weights Adam updates.</summary>
    public Tensor Master { get; }

    public bool HasSeparateMaster { get; }

    /// <summary>Adam's m (null when β1 = 0).</summary>
    public Tensor? ExpAvg { get; }

    /// <summary>Adam's v.</summary>
    public Tensor ExpAvgSq { get; }

    /// <summary>The gradient of <see cref="Master"/>: the flat gradient, or its fp32 upcast taken by <see cref="TakeGradient"/>.</summary>
    public Tensor Gradient => HasSeparateMaster
        ? upcastGrad ?? throw new InvalidOperationException("ClipGradNorm must take the gradients before Step.")
        : Parameters.Grad;

    /// <summary>Under mixed precision, upcasts the compute copy's gradient into a transient fp32 buffer (one kernel).</summary>
    public void TakeGradient()
    {
        if (!HasSeparateMaster)
            return;
        upcastGrad?.Dispose();
        upcastGrad = Parameters.Grad.to(Master.dtype).DetachFromDisposeScope();
    }

    /// <summary>Frees the fp32 gradient (it lives only through the step, as a 2B model's is 8 GB).</summary>
    public void ReleaseGradient()
    {
        upcastGrad?.Dispose();
        upcastGrad = null;
    }

    /// <summary>The compute copy takes the masters' values (one cast-copy kernel).</summary>
    public void PublishMaster()
    {
        if (HasSeparateMaster)
            Parameters.Data.copy_(Master);
    }

    /// <summary>The masters restart from the compute copy (after its weights were loaded from a checkpoint).</summary>
    public void ResetMaster()
    {
        if (HasSeparateMaster)
            Master.copy_(Parameters.Data);
    }

    public void Dispose()
    {
        ReleaseGradient();
        ExpAvg?.Dispose();
        ExpAvgSq.Dispose();
        if (HasSeparateMaster)
            Master.Dispose();
        Parameters.Dispose();
    }
}
