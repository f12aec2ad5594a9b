using static TorchSharp.torch;

namespace NpEdit.Trainer.Optimization;

/// <summary>
/// One (device, dtype) group of <see cref="FlatAdam"/>: the flat parameters, the weights Adam updates (the flat
/// buffer itself, or an fp32 master copy of it under mixed precision) and the Adam moments, all laid out alike.
/// </summary>
internal sealed class FlatAdamGroup : IDisposable
{
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

    /// <summary>
    /// Elements [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of the gradient of
    /// <see cref="Master"/>: a view of the flat gradient, or under mixed precision its upcast to the masters' dtype,
    /// made per slice so that no model-sized fp32 copy of the gradient ever exists (a 2B model's would be 8 GB).
    /// </summary>
    public Tensor GradientSlice(long start, long length)
    {
        var slice = length == Parameters.Grad.numel() ? Parameters.Grad : Parameters.Grad.narrow(0, start, length);
        return HasSeparateMaster ? slice.to(Master.dtype) : slice;
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
        ExpAvg?.Dispose();
        ExpAvgSq.Dispose();
        if (HasSeparateMaster)
            Master.Dispose();
        Parameters.Dispose();
    }
}
