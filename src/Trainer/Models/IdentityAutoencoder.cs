using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>Pixel space: the DiT denoises the RGB image itself, scaled to [−1, 1].</summary>
public sealed class IdentityAutoencoder : IAutoencoder
{
    /// <inheritdoc />
    public int LatentChannels => 3;

    /// <inheritdoc />
    public int DownsampleFactor => 1;

    /// <inheritdoc />
    public Tensor Encode(Tensor images) => images.alias();

    /// <inheritdoc />
    public Tensor Decode(Tensor latents) => latents.alias();
}
