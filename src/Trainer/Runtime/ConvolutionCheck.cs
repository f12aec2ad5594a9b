using static TorchSharp.torch;

namespace NpEdit.Trainer.Runtime;

/// <summary>
/// Compares fp32 convolutions on the CPU (oneDNN's kernels, under the active <see cref="OneDnnIsaCap"/>) with the same
/// convolutions in fp64 (ATen's own, never oneDNN): the forward pass and both gradients on a fixed set of shapes. On the
/// AMD EPYC VM of bench/RESULTS.md ("oneDNN on this CPU") oneDNN's AVX2 and AVX-512 kernels were off by 0.2–0.5 of the
/// output's largest magnitude on exactly these shapes (odd and non-multiple-of-8 channel counts, the oracle's 11-channel
/// detail branch among them); fp32 rounding leaves ≈ 1e-6.
/// </summary>
public static class ConvolutionCheck
{
    /// <summary>The largest relative error that still counts as exact: 100× fp32 rounding, 2,000× below the errors seen.</summary>
    public const double Tolerance = 1e-4;

    // (batch, in channels, out channels, size, kernel, stride); kernel == stride is a ViT patch embedding (no padding).
    static readonly (int Batch, int In, int Out, int Size, int Kernel, int Stride)[] Cases =
    [
        (16, 11, 8, 64, 3, 1), (4, 11, 16, 48, 3, 1), (8, 5, 7, 33, 3, 1), (16, 3, 8, 64, 3, 1),
        (8, 24, 24, 32, 3, 1), (16, 8, 16, 32, 3, 2), (16, 32, 32, 8, 3, 1), (8, 3, 32, 48, 4, 4),
    ];

    /// <summary>Runs every case on the CPU; the worst relative error over outputs and gradients, and where it was.</summary>
    public static ConvolutionCheckResult Run()
    {
        using var scope = NewDisposeScope();
        using var generator = SeededNoise.NewGenerator(20261129);
        var worst = new ConvolutionCheckResult(0, "none");
        foreach (var (batch, inChannels, outChannels, size, kernel, stride) in Cases)
        {
            var padding = kernel == stride ? 0 : kernel / 2;
            var outSize = (size + 2 * padding - kernel) / stride + 1;
            var input = randn([batch, inChannels, size, size], generator: generator);
            var weight = randn([outChannels, inChannels, kernel, kernel], generator: generator) / Math.Sqrt(inChannels * kernel * kernel);
            var upstream = randn([batch, outChannels, outSize, outSize], generator: generator);

            var single = Convolve(input, weight, upstream, stride, padding, ScalarType.Float32);
            var reference = Convolve(input, weight, upstream, stride, padding, ScalarType.Float64);
            string[] parts = ["output", "input gradient", "weight gradient"];
            for (var i = 0; i < parts.Length; i++)
            {
                var error = ((single[i] - reference[i]).abs().max() / reference[i].abs().max()).item<double>();
                if (!double.IsNaN(worst.WorstError) && (double.IsNaN(error) || error > worst.WorstError))
                    worst = new ConvolutionCheckResult(error,
                        $"{parts[i]} of a {kernel}×{kernel}/{stride} convolution, {inChannels}→{outChannels} channels, {batch}×{size}×{size}");
            }
        }
        return worst;
    }

    static Tensor[] Convolve(Tensor input, Tensor weight, Tensor upstream, int stride, int padding, ScalarType dtype)
    {
        var x = input.to(dtype).detach().requires_grad_(true);
        var w = weight.to(dtype).detach().requires_grad_(true);
        var y = nn.functional.conv2d(x, w, strides: [stride, stride], padding: [padding, padding]);
        (y * upstream.to(dtype)).sum().backward();
        return [y.detach().to(ScalarType.Float64), x.grad!.to(ScalarType.Float64), w.grad!.to(ScalarType.Float64)];
    }
}
