using static TorchSharp.torch;

namespace NpEdit.Trainer.Models;

/// <summary>
/// Maps images to the space the DiT works in and back. Pixels for ShapesWorld now
/// (<see cref="IdentityAutoencoder"/>); a VAE can be added later without touching the DiT or the losses.
/// </summary>
public interface IAutoencoder
{
    /// <summary>Channels of the encoded representation (the DiT's <see cref="DiTConfig.InChannels"/>).</summary>
    int LatentChannels { get; }

    /// <summary>Image side divided by latent side (1 for pixels, 8 for an SD-style VAE).</summary>
    int DownsampleFactor { get; }

    /// <summary>(N, 3, H, W) images in [−1, 1] → (N, LatentChannels, H/f, W/f).</summary>
    Tensor Encode(Tensor images);

    /// <summary>(N, LatentChannels, h, w) → (N, 3, h·f, w·f) images in about [−1, 1].</summary>
    Tensor Decode(Tensor latents);
}
