using NpEdit.Trainer.Runtime;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Sampling;

/// <summary>
/// NP-Edit's few-step sampler (§4.2, Algorithm 1): at each time of the grid predict x̂0 = x_t − t·v,
/// then re-noise x̂0 to the next time with fresh noise; the last x̂0 is the sample. With 4 steps the
/// grid is t = 1, 0.75, 0.5, 0.25.
/// </summary>
public static class FewStepSampler
{
    /// <summary>The step counts the paper trains and evaluates.</summary>
    public static IReadOnlyList<int> SupportedSteps { get; } = [1, 2, 4, 8];

    /// <summary>
    /// The times t_k = 1 − k/steps for k = 0..steps−1, optionally mapped by <see cref="FlowMatching.Shift"/>.
    /// </summary>
    public static double[] Grid(int steps, double shift = 1.0)
    {
        if (!SupportedSteps.Contains(steps))
            throw new ArgumentOutOfRangeException(nameof(steps), steps, $"Few-step sampling supports {string.Join(", ", SupportedSteps)} steps.");
        return Enumerable.Range(0, steps).Select(k => FlowMatching.Shift(1.0 - (double)k / steps, shift)).ToArray();
    }

    /// <summary>Runs the sampler from <paramref name="noise"/> (t = 1) and returns x̂0 (N, C, H, W).</summary>
    /// <param name="velocity">The conditioned model.</param>
    /// <param name="noise">(N, C, H, W) ε.</param>
    /// <param name="steps">1, 2, 4 or 8.</param>
    /// <param name="shift">Optional time shift of the grid (1 = the paper's grid).</param>
    /// <param name="generator">Source of the fresh re-noising noise.</param>
    public static Tensor Sample(VelocityField velocity, Tensor noise, int steps, double shift = 1.0, Generator? generator = null)
    {
        var grid = Grid(steps, shift);
        var n = noise.shape[0];
        var x = noise.alias();
        for (var k = 0; ; k++)
        {
            using var scope = NewDisposeScope();
            var t = full(n, grid[k], dtype: noise.dtype, device: noise.device);
            var x0 = FlowMatching.PredictX0(x, t, velocity(x, t));                 // (N, C, H, W)
            x.Dispose();
            if (k + 1 == grid.Length)
                return x0.MoveToOuterDisposeScope();
            var fresh = generator is null ? randn_like(noise) : SeededNoise.Randn(noise.shape, generator, noise.device, noise.dtype);
            var next = full(n, grid[k + 1], dtype: noise.dtype, device: noise.device);
            x = FlowMatching.Interpolate(x0, fresh, next).MoveToOuterDisposeScope();  // re-noise with fresh ε′
        }
    }
}
