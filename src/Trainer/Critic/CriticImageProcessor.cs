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
            x = nn.functional.interpolate(x, size: [size, size], mode: InterpolationMode.Bicubic, align_corners: false, antialias: true);
        var mean = tensor(config.ImageMean.Select(v => (float)v).ToArray(), device: x.device).view(1, -1, 1, 1).to(x.dtype);
        var std = tensor(config.ImageStd.Select(v => (float)v).ToArray(), device: x.device).view(1, -1, 1, 1).to(x.dtype);
        return ((x + 1) * 0.5 - mean) / std;
    }
}
