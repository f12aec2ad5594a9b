using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>
/// Embeds the flow time t ∈ [0, 1] into a D-vector: sinusoidal features of 1000·t (the scale of DiT's
/// integer diffusion steps, as SD3 does for flow matching) followed by Linear → SiLU → Linear.
/// </summary>
public sealed class TimestepEmbedder : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear1;
    private readonly SiLU act;
    private readonly Linear linear2;
    private readonly int frequencySize;

    public TimestepEmbedder(int hidden, int frequencySize) : base(nameof(TimestepEmbedder))
    {
        this.frequencySize = frequencySize;
        linear1 = nn.Linear(frequencySize, hidden);
        act = nn.SiLU();
        linear2 = nn.Linear(hidden, hidden);
        RegisterComponents();
    }

    /// <summary>The two linear layers, for weight initialisation.</summary>
    internal IEnumerable<Linear> Linears => [linear1, linear2];

    /// <param name="t">(N,) flow times in [0, 1].</param>
    /// <returns>(N, D)</returns>
    /// <remarks>The features are computed in fp32 (1000·t needs the precision) and then take the layers' dtype (bf16 on the GPU).</remarks>
    public override Tensor forward(Tensor t) =>
        linear2.call(act.call(linear1.call(Frequencies(t, frequencySize).to(linear1.weight!.dtype))));

    /// <summary>
    /// Sinusoidal features [cos(1000·t·ω_i), sin(1000·t·ω_i)] with ω_i = 10000^(−i/half), as in DiT's
    /// <c>timestep_embedding</c> (itself from GLIDE).
    /// </summary>
    /// <param name="t">(N,)</param>
    /// <returns>(N, size)</returns>
    public static Tensor Frequencies(Tensor t, int size)
    {
        var half = size / 2;
        var freqs = exp(arange(half, dtype: float32, device: t.device) * (-Math.Log(10000.0) / half)); // (half,)
        var args = (t.to(float32) * 1000.0).unsqueeze(1) * freqs.unsqueeze(0);                        // (N, half)
        return cat([cos(args), sin(args)], dim: 1);                                                      // (N, size)
    }
}
