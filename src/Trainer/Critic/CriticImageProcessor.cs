using NpEdit.Trainer.Models.Critic;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Critic;

/// <summary>
/// The image processor in tensors, so it stays differentiable: [−1, 1] → bicubic resize with antialias to
/// the tower's size (the processor resamples with PIL bicubic, which antialiases when shrinking) →
/// [0, 1] → (x − mean) / std.
/// </summary>
public static class CriticImageProcessor
{
    /// <param name="images">(N, 3, H, W) in [−1, 1]; may require grad.</param>
    /// <returns>(N, 3, S, S) normalised pixels.</returns>
    public static Tensor Prepare(Tensor images, LlavaOnevisionConfig config)
    {
        if (images.dim() != 4 || images.shape[1] != config.VisionConfig.NumChannels)
            throw new ArgumentException($"Critic images must be (N, {config.VisionConfig.NumChannels}, H, W); got ({string.Join(", ", images.shape)}).");
        var size = config.VisionConfig.ImageSize;
        var x = images;
        if (x.shape[2] != size || x.shape[3] != size)
            x = nn.functional.interpolate(x.to(float32), size: [size, size], mode: InterpolationMode.Bicubic, align_corners: false, antialias: true)
                .to(images.dtype);   // in fp32: the CPU has no bf16 antialiased bicubic
        // ((x + 1) / 2 − mean) / std as one multiply-add with per-channel tensors.
        var scale = config.ImageStd.Select(s => (float)(0.5 / s)).ToArray();
        var shift = config.ImageMean.Zip(config.ImageStd, (m, s) => (float)((0.5 - m) / s)).ToArray();
        return Rescale(x, scale, shift);
    }

    /// <summary>x · scale[c] + shift[c] per channel of (N, C, H, W).</summary>
    public static Tensor Rescale(Tensor x, float[] scale, float[] shift)
    {
        var a = tensor(scale, device: x.device).view(1, -1, 1, 1).to(x.dtype);
        var b = tensor(shift, device: x.device).view(1, -1, 1, 1).to(x.dtype);
        return x * a + b;
    }
}
