using static TorchSharp.torch;

namespace NpEdit.Trainer.Sampling;

/// <summary>
/// A conditioned velocity predictor v(x_t, t): a DiT closed over its text (and reference) conditioning.
/// </summary>
/// <param name="x">(N, C, H, W) noisy sample x_t.</param>
/// <param name="t">(N,) flow times.</param>
/// <returns>(N, C, H, W) velocity.</returns>
public delegate Tensor VelocityField(Tensor x, Tensor t);
