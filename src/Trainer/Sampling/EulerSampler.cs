using static TorchSharp.torch;

namespace NpEdit.Trainer.Sampling;

/// <summary>
/// Multi-step Euler integration of dx/dt = v from t = 1 (noise) to t = 0, for the teacher and for
/// G_init previews, with classifier-free guidance against a negative prompt:
/// v = v_neg + s·(v_cond − v_neg) (Ho &amp; Salimans 2022; NP-Edit's DMD teacher uses the negative prompt
/// "low quality, artifacts").
/// </summary>
public static class EulerSampler
{
    /// <summary>The times 1 = t_0 &gt; … &gt; t_steps = 0 on a uniform grid, optionally shifted.</summary>
    public static double[] Schedule(int steps, double shift = 1.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        return Enumerable.Range(0, steps + 1).Select(k => FlowMatching.Shift(1.0 - (double)k / steps, shift)).ToArray();
    }

    /// <summary>Combines a conditional and a negative/unconditional field with guidance scale <paramref name="scale"/>; scale 1 is the conditional field.</summary>
    public static VelocityField Guided(VelocityField conditional, VelocityField negative, double scale) =>
        (x, t) =>
        {
            var vc = conditional(x, t);
            var vn = negative(x, t);
            return vn + scale * (vc - vn);
        };

    /// <summary>Integrates from <paramref name="noise"/> at t = 1 to t = 0 and returns x0 (N, C, H, W).</summary>
    /// <param name="velocity">The conditioned model.</param>
    /// <param name="noise">(N, C, H, W) ε.</param>
    /// <param name="steps">Euler steps.</param>
    /// <param name="negative">The negative-prompt field, or null for no guidance.</param>
    /// <param name="guidanceScale">CFG scale s, used when <paramref name="negative"/> is given.</param>
    /// <param name="shift">Optional time shift of the schedule.</param>
    public static Tensor Sample(VelocityField velocity, Tensor noise, int steps, VelocityField? negative = null, double guidanceScale = 1.0, double shift = 1.0)
    {
        var field = negative is null ? velocity : Guided(velocity, negative, guidanceScale);
        var schedule = Schedule(steps, shift);
        var n = noise.shape[0];
        var x = noise.alias();
        for (var k = 0; k < steps; k++)
        {
            using var scope = NewDisposeScope();
            var t = full(n, schedule[k], dtype: noise.dtype, device: noise.device);
            var v = field(x, t);                                                       // (N, C, H, W)
            var next = (x + (schedule[k + 1] - schedule[k]) * v).MoveToOuterDisposeScope(); // x_{t'} = x_t + (t' − t)·v
            x.Dispose();
            x = next;
        }
        return x;
    }
}
