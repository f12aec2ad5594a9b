using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>
/// Rotary position embedding as in Qwen2 (Su et al. 2021, the "rotate half" layout): inverse frequencies
/// θ^(−2i/d), cos/sin of position·frequency computed in fp32, duplicated over both halves of the head.
/// </summary>
public static class RotaryEmbedding
{
    /// <param name="positionIds">(N, L) int64.</param>
    /// <returns>cos and sin, each (N, 1, L, d), in <paramref name="dtype"/>.</returns>
    public static (Tensor Cos, Tensor Sin) Tables(Tensor positionIds, int headDim, double theta, ScalarType dtype)
    {
        var exponents = arange(0, headDim, 2, dtype: int64, device: positionIds.device).to(float32) / headDim;
        var inverseFrequency = pow(tensor((float)theta, device: positionIds.device), exponents).reciprocal();  // (d/2,)
        var freqs = positionIds.to(float32).unsqueeze(-1) * inverseFrequency;                                   // (N, L, d/2)
        var angles = cat([freqs, freqs], -1).unsqueeze(1);                                                      // (N, 1, L, d)
        return (angles.cos().to(dtype), angles.sin().to(dtype));
    }

    /// <summary>x·cos + rotate_half(x)·sin, where rotate_half(x) = [−x₂, x₁].</summary>
    /// <param name="x">(N, H, L, d)</param>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        var half = (int)(x.shape[^1] / 2);
        var rotated = cat([-x[.., .., .., half..], x[.., .., .., ..half]], -1);
        return x * cos + rotated * sin;
    }
}
