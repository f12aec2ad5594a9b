using NpEdit.Trainer.Models;
using static TorchSharp.torch;

/// <summary>
/// A fixed random stand-in for a VAE, so a latent DiT (dit-2b: 16 channels at 64², i.e. 512-px images behind an 8×
/// VAE) can be timed without one: encode = f× average pool + a 1×1 projection 3 → C; decode = a 1×1 projection C → 3
/// + f× nearest upsampling. It costs almost nothing, so the step time excludes a real VAE decoder (on both sides:
/// bench/train_step_bench.py does the same).
/// </summary>
internal sealed class LatentStandIn(int channels, int factor, Device device) : IAutoencoder
{
    private readonly Tensor encoder = randn([channels, 3, 1, 1], device: device) / Math.Sqrt(3);
    private readonly Tensor decoder = randn([3, channels, 1, 1], device: device) / Math.Sqrt(channels);

    public int LatentChannels => channels;

    public int DownsampleFactor => factor;

    public Tensor Encode(Tensor images) =>
        nn.functional.conv2d(nn.functional.avg_pool2d(images, factor), encoder);

    public Tensor Decode(Tensor latents) =>
        nn.functional.interpolate(nn.functional.conv2d(latents, decoder), scale_factor: [factor, factor], mode: InterpolationMode.Nearest);
}
