using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using NpEdit.Trainer.Runtime;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Sampling;

/// <summary>
/// Samples a text-to-image generator (G_init: DiT without reference tokens + its text encoder) with the
/// Euler sampler and classifier-free guidance against a negative prompt (the empty prompt = unconditional).
/// One implementation for the pretrainer's evaluation and for evaluating a saved G_init, so both score the
/// very same images for the same captions, seed and guidance.
/// </summary>
public static class TextToImageSampler
{
    /// <summary>
    /// Returns (N, C, H, W) images in [−1, 1] on the CPU for <paramref name="captions"/>. All noise is drawn
    /// first from one generator seeded with <paramref name="seed"/>, then sampled in chunks of
    /// <paramref name="batchSize"/>, so image i starts from the same noise whatever the chunking, and the
    /// first k captions get the noise of a k-caption call (the pretrainer's evaluation prompts come first).
    /// </summary>
    public static Tensor Sample(
        DiT dit, ShapesTextEncoder text, IAutoencoder autoencoder, IReadOnlyList<string> captions, Device device,
        int steps = 20, double guidanceScale = 3.0, string negativePrompt = "", long seed = 0, int batchSize = 64)
    {
        ArgumentNullException.ThrowIfNull(captions);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (captions.Count == 0)
            throw new ArgumentException("No captions to sample.", nameof(captions));
        using var gc = TorchGcGuard.Enter();   // libtorch must not see a Scalar freed by a GC mid-call (TorchGcGuard)
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        dit.eval();
        text.eval();
        var size = dit.Config.ImageSize;
        using var noiseGenerator = SeededNoise.NewGenerator((ulong)seed);
        var noise = SeededNoise.Randn([captions.Count, dit.Config.InChannels, size, size], noiseGenerator, device);
        var chunks = new List<Tensor>();
        for (var start = 0; start < captions.Count; start += batchSize)
        {
            var count = Math.Min(batchSize, captions.Count - start);
            var chunk = captions.Skip(start).Take(count).ToArray();
            var cond = text.Encode(chunk, device);
            var neg = text.Encode(Enumerable.Repeat(negativePrompt, count).ToArray(), device);
            var x0 = EulerSampler.Sample(
                (x, t) => dit.call(x, t, cond.Tokens, cond.Mask, null), noise.narrow(0, start, count), steps,
                negative: (x, t) => dit.call(x, t, neg.Tokens, neg.Mask, null), guidanceScale: guidanceScale);
            chunks.Add(autoencoder.Decode(x0).clamp(-1, 1).cpu());
        }
        return cat(chunks, 0).MoveToOuterDisposeScope();
    }
}
