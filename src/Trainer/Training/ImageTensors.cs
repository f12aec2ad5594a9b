using NpEdit.ShapesWorld.Rendering;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Training;

/// <summary>Between encoded images / RGB bytes and (N, 3, S, S) tensors in [−1, 1].</summary>
public static class ImageTensors
{
    /// <summary>Decodes PNGs and resizes them to <paramref name="size"/>² (area averaging, so downscaled edges stay soft).</summary>
    public static Tensor FromPngs(IReadOnlyList<byte[]> pngs, int size, Device device)
    {
        using var scope = NewDisposeScope();
        var images = pngs.Select(png =>
        {
            var (rgb, width, height) = PngCodec.Decode(png);
            return FromRgb(rgb, width, height, size);
        }).ToArray();
        return stack(images).to(device).MoveToOuterDisposeScope();                          // (N, 3, S, S)
    }

    /// <summary>Row-major RGB bytes → (3, S, S) in [−1, 1].</summary>
    public static Tensor FromRgb(byte[] rgb, int width, int height, int size)
    {
        var image = tensor(rgb, [height, width, 3]).permute(2, 0, 1).to(float32) / 127.5f - 1f; // (3, H, W)
        if (width == size && height == size)
            return image;
        return nn.functional.interpolate(image.unsqueeze(0), size: [size, size], mode: InterpolationMode.Area).squeeze(0);
    }

    /// <summary>(3, H, W) in about [−1, 1] → row-major RGB bytes.</summary>
    public static byte[] ToRgb(Tensor image)
    {
        using var scope = NewDisposeScope();
        var bytes = ((image.detach().cpu().clamp(-1, 1) + 1) * 127.5f).round().to(uint8).permute(1, 2, 0).contiguous();
        return bytes.data<byte>().ToArray();
    }
}
