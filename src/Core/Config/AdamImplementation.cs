namespace NpEdit.Core.Config;

/// <summary>Which Adam/AdamW implementation a trainer steps its weights with; both compute the same update.</summary>
public enum AdamImplementation
{
    /// <summary>
    /// Every parameter is a view of one contiguous buffer per device and dtype (its gradient too), so zero_grad,
    /// clipping and the update are a handful of kernels over the whole model (TorchSharp has no foreach or fused Adam).
    /// </summary>
    Flat,

    /// <summary>TorchSharp's optim.Adam / optim.AdamW: a managed loop of kernels per parameter tensor.</summary>
    Torch,
}
