using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>Cuts an image into p×p patches and projects each to D (a stride-p convolution), as ViT/DiT.</summary>
public sealed class PatchEmbed : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d proj;

    public PatchEmbed(int inChannels, int hidden, int patchSize) : base(nameof(PatchEmbed))
    {
        proj = nn.Conv2d(inChannels, hidden, kernel_size: patchSize, stride: patchSize);
        RegisterComponents();
    }

    /// <summary>The projection, for weight initialisation.</summary>
    internal Conv2d Projection => proj;

    /// <param name="x">(N, C, H, W)</param>
    /// <returns>(N, T, D) with T = (H/p)·(W/p), row-major over the patch grid.</returns>
    public override Tensor forward(Tensor x) => proj.call(x).flatten(2).transpose(1, 2);
}
