using NpEdit.Trainer.Runtime;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Sampling;

/// <summary>
/// The rectified-flow convention of NP-Edit Eq. 1: x_t = (1−t)·x + t·ε with t = 1 pure noise, the
/// velocity target v = dx_t/dt = ε − x, and the one-step clean estimate x̂0 = x_t − t·v.
/// </summary>
public static class FlowMatching
{
    /// <summary>x_t = (1−t)·x + t·ε, with t (N,) broadcast over (C, H, W).</summary>
    public static Tensor Interpolate(Tensor x, Tensor noise, Tensor t)
    {
        var tt = Broadcast(t, x);
        return (1 - tt) * x + tt * noise;
    }

    /// <summary>The regression target v = ε − x.</summary>
    public static Tensor Velocity(Tensor x, Tensor noise) => noise - x;

    /// <summary>x̂0 = x_t − t·v.</summary>
    public static Tensor PredictX0(Tensor xt, Tensor t, Tensor v) => xt - Broadcast(t, xt) * v;

    /// <summary>ε̂ = x_t + (1−t)·v, the noise the same prediction implies.</summary>
    public static Tensor PredictNoise(Tensor xt, Tensor t, Tensor v) => xt + (1 - Broadcast(t, xt)) * v;

    /// <summary>
    /// Samples training times from the logit-normal density (SD3, Esser et al. 2024 §3.1):
    /// t = sigmoid(m + s·u), u ~ N(0, 1), which favours the middle of the path.
    /// </summary>
    public static Tensor SampleLogitNormal(long n, double mean, double std, Device device, Generator? generator = null) =>
        sigmoid((generator is null ? randn(n, device: device) : SeededNoise.Randn([n], generator, device)) * std + mean);

    /// <summary>
    /// The resolution time shift of SD3 (Eq. 23): s·t / (1 + (s−1)·t). With s = 6 it maps the paper's
    /// 4-step grid (1, 0.75, 0.5, 0.25) to the repo's (1, 0.9474, 0.8571, 0.6667).
    /// </summary>
    public static double Shift(double t, double shift) => shift * t / (1 + (shift - 1) * t);

    /// <summary>(N,) → (N, 1, 1, 1) shaped like <paramref name="like"/>'s rank.</summary>
    static Tensor Broadcast(Tensor t, Tensor like) =>
        t.dim() == 0 ? t : t.view([t.shape[0], .. Enumerable.Repeat(1L, (int)like.dim() - 1)]);
}
