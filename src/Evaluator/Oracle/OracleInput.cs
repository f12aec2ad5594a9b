using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace NpEdit.Evaluator.Oracle;

/// <summary>RGB images → the parser's input: (B, 3, R, R) floats in [−1, 1], resized (bilinear, antialiased) when sizes differ.</summary>
public static class OracleInput
{
    public static Tensor ToTensor(IReadOnlyList<RgbImage> images, int resolution, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new ArgumentException("No images to parse.");
        var parts = new Tensor[images.Count];
        for (int i = 0; i < images.Count; i++)
        {
            var image = images[i];
            image.Validate();
            var values = new float[image.Pixels.Length];
            for (int k = 0; k < values.Length; k++) values[k] = image.Pixels[k] / 127.5f - 1f;
            var chw = tensor(values, [1, image.Height, image.Width, 3]).permute(0, 3, 1, 2);
            parts[i] = image.Width == resolution && image.Height == resolution
                ? chw
                : F.interpolate(chw, [resolution, resolution], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        }
        var batch = cat(parts, 0).contiguous();
        return device is null ? batch : batch.to(device);
    }
}
