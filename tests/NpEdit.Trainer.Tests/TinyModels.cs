using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests;

/// <summary>Tiny models and data for fast CPU tests.</summary>
internal static class TinyModels
{
    public static readonly string[] Vocabulary = ["a", "red", "green", "blue", "circle", "square", "triangle", "in", "the", "top", "left", "bottom", "right", "make", "remove"];

    public static ModelPreset Preset => ModelPresets.ShapesXs;

    /// <summary>Adds N(0, 0.05²) to every parameter so that zero-initialised paths (adaLN-Zero, output layer) carry signal.</summary>
    public static void Perturb(nn.Module module, long seed = 7)
    {
        using var _ = no_grad();
        using var generator = new Generator((ulong)seed);
        foreach (var p in module.parameters())
            p.add_(randn(p.shape, generator: generator) * 0.05);
    }

    /// <summary>(n, 3, size, size) images in [−1, 1]: a coloured square per image on a dark background.</summary>
    public static Tensor Squares(int n, int size)
    {
        var images = full(n, 3, size, size, -0.8f);
        for (var i = 0; i < n; i++)
        {
            var channel = i % 3;
            var offset = (i * 3) % (size / 2);
            images[i, channel, TensorIndex.Slice(offset, offset + size / 2), TensorIndex.Slice(offset, offset + size / 2)] = tensor(0.9f);
        }
        return images;
    }

    public static string[] Captions(int n) =>
        Enumerable.Range(0, n).Select(i => $"a {new[] { "red", "green", "blue" }[i % 3]} square in the top left").ToArray();
}
