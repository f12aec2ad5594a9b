using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Runtime;

/// <summary>
/// Seeded random draws for any device. TorchSharp 0.107 cannot make a CUDA generator: <c>new Generator(seed, cuda)</c>
/// returns a CPU one, and a CUDA kernel then rejects it ("Expected a 'cuda' device type for generator", seen on the
/// H100). So every seeded draw is made by a CPU generator and moved to the device — which also makes a seed give
/// the same numbers on every device. Unseeded draws (no generator) stay on the device.
/// </summary>
public static class SeededNoise
{
    /// <summary>A generator for the draws below (always on the CPU).</summary>
    public static Generator NewGenerator(ulong seed) => new(seed);

    /// <summary>Standard normal draws of <paramref name="shape"/> on <paramref name="device"/>.</summary>
    public static Tensor Randn(ReadOnlySpan<long> shape, Generator generator, Device device, ScalarType dtype = ScalarType.Float32) =>
        randn(shape.ToArray(), dtype: dtype, generator: generator).to(device);

    /// <summary>Uniform draws in [0, 1) of <paramref name="shape"/> on <paramref name="device"/>.</summary>
    public static Tensor Rand(ReadOnlySpan<long> shape, Generator generator, Device device, ScalarType dtype = ScalarType.Float32) =>
        rand(shape.ToArray(), dtype: dtype, generator: generator).to(device);
}
