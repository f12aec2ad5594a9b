using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using NpEdit.Trainer.Sampling;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Sampling;

public class TextToImageSamplerFacts
{
    public TextToImageSamplerFacts() => TorchTestEnvironment.Initialize(seed: 5);

    [Fact]
    public void Chunking_keeps_each_caption_on_its_noise_and_the_first_captions_match_a_shorter_call()
    {
        using var dit = new DiT(TinyModels.Preset.DiT);
        using var text = new ShapesTextEncoder(TinyModels.Preset.Text, TinyModels.Vocabulary);
        TinyModels.Perturb(dit);
        var captions = TinyModels.Captions(5);
        var autoencoder = new IdentityAutoencoder();

        using var whole = TextToImageSampler.Sample(dit, text, autoencoder, captions, CPU, steps: 2, guidanceScale: 2, seed: 1, batchSize: 5);
        using var chunked = TextToImageSampler.Sample(dit, text, autoencoder, captions, CPU, steps: 2, guidanceScale: 2, seed: 1, batchSize: 2);
        using var firstTwo = TextToImageSampler.Sample(dit, text, autoencoder, captions[..2], CPU, steps: 2, guidanceScale: 2, seed: 1);
        using var otherSeed = TextToImageSampler.Sample(dit, text, autoencoder, captions, CPU, steps: 2, guidanceScale: 2, seed: 2, batchSize: 5);

        Assert.Equal([5L, 3, TinyModels.Preset.DiT.ImageSize, TinyModels.Preset.DiT.ImageSize], whole.shape);
        Assert.True(chunked.allclose(whole, atol: 1e-5));
        Assert.True(firstTwo.allclose(whole.narrow(0, 0, 2), atol: 1e-5));
        Assert.False(otherSeed.allclose(whole, atol: 1e-3));
        Assert.True(whole.min().item<float>() >= -1 && whole.max().item<float>() <= 1);
    }

    [Fact]
    public void No_captions_is_a_clear_error()
    {
        using var dit = new DiT(TinyModels.Preset.DiT);
        using var text = new ShapesTextEncoder(TinyModels.Preset.Text, TinyModels.Vocabulary);

        var e = Assert.Throws<ArgumentException>(() => TextToImageSampler.Sample(dit, text, new IdentityAutoencoder(), [], CPU));
        Assert.Contains("No captions", e.Message);
    }
}
