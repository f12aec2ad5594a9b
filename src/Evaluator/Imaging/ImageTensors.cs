using static TorchSharp.torch;

namespace NpEdit.Evaluator.Imaging;

/// <summary>RGB bytes ↔ (N, 3, H, W) float tensors in [−1, 1], the range the generator and the critic work in.</summary>
public static class ImageTensors
{
    /// <summary>Stacks same-sized RGB images into (N, 3, H, W) in [−1, 1] on <paramref name="device"/>.</summary>
    public static Tensor FromRgb(IReadOnlyList<byte[]> images, int width, int height, Device device)
    {
        var flat = new byte[images.Count * width * height * 3];
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i].Length != width * height * 3)
                throw new ArgumentException($"Image {i} has {images[i].Length} bytes; a {width}×{height} RGB image has {width * height * 3}.");
            images[i].CopyTo(flat, i * width * height * 3);
        }
        using var scope = NewDisposeScope();
        var hwc = tensor(flat, dtype: ScalarType.Byte).view(images.Count, height, width, 3);       // (N, H, W, 3)
        return (hwc.permute(0, 3, 1, 2).to(float32) / 127.5 - 1.0).to(device).MoveToOuterDisposeScope(); // (N, 3, H, W)
    }

    /// <summary>(N, 3, H, W) in about [−1, 1] → N tightly packed RGB byte arrays (clamped, rounded).</summary>
    public static byte[][] ToRgb(Tensor images)
    {
        using var scope = NewDisposeScope();
        var (n, h, w) = (images.shape[0], images.shape[2], images.shape[3]);
        var bytes = ((images.detach().clamp(-1, 1) + 1.0) * 127.5).round().to(ScalarType.Byte)
            .permute(0, 2, 3, 1).contiguous().cpu().data<byte>().ToArray();                        // (N, H, W, 3)
        var size = (int)(h * w * 3);
        return Enumerable.Range(0, (int)n).Select(i => bytes.AsSpan(i * size, size).ToArray()).ToArray();
    }
}
