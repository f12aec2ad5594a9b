using NpEdit.Trainer.Models.Text;

namespace NpEdit.Trainer.Models;

/// <summary>
/// The generator sizes (like DiT's <c>DiT_models</c> table). Each preset lists only what differs from the
/// defaults in <see cref="DiTConfig"/> and <see cref="TextEncoderConfig"/>.
/// </summary>
public static class ModelPresets
{
    /// <summary>CPU unit tests: 16 px, 64 tokens, about 0.2M parameters.</summary>
    public static ModelPreset ShapesXs { get; } = new("shapes-xs",
        new DiTConfig { ImageSize = 16, PatchSize = 2, HiddenSize = 64, Depth = 2, NumHeads = 4, TextDim = 32, FrequencyEmbeddingSize = 64 },
        new TextEncoderConfig { Dim = 32, Depth = 1, NumHeads = 2, MaxTokens = 12 });

    /// <summary>
    /// The CPU demo: 32 px with 4 px patches (64 tokens), D = 128, 4 blocks, about 1.3M parameters, sized so
    /// that pretraining fits a 10-minute budget on 2 cores (a D = 192, 6-block version cost 3.4× more per step).
    /// </summary>
    public static ModelPreset ShapesS { get; } = new("shapes-s",
        new DiTConfig { ImageSize = 32, PatchSize = 4, HiddenSize = 128, Depth = 4, NumHeads = 4, TextDim = 64, FrequencyEmbeddingSize = 128 },
        new TextEncoderConfig { Dim = 64, Depth = 2, NumHeads = 4, MaxTokens = 24 });

    /// <summary>GPU: 64 px with 2 px patches (1024 tokens), about 38M parameters.</summary>
    public static ModelPreset ShapesM { get; } = new("shapes-m",
        new DiTConfig { ImageSize = 64, PatchSize = 2, HiddenSize = 512, Depth = 12, NumHeads = 8, TextDim = 256 },
        new TextEncoderConfig { Dim = 256, Depth = 4, NumHeads = 4, MaxTokens = 24 });

    /// <summary>
    /// Shape-only stand-in for the paper's 2B DiT, for GPU memory and throughput benchmarks: a 64×64×16
    /// latent (512 px behind an 8× VAE) in 2×2 patches (1024 tokens), D = 2048, 26 blocks, about 2.0B parameters.
    /// </summary>
    public static ModelPreset Dit2B { get; } = new("dit-2b",
        new DiTConfig { ImageSize = 64, InChannels = 16, PatchSize = 2, HiddenSize = 2048, Depth = 26, NumHeads = 16, TextDim = 1024 },
        new TextEncoderConfig { Dim = 1024, Depth = 2, NumHeads = 16, MaxTokens = 64 });

    /// <summary>Every preset by name.</summary>
    public static IReadOnlyDictionary<string, ModelPreset> All { get; } =
        new[] { ShapesXs, ShapesS, ShapesM, Dit2B }.ToDictionary(p => p.Name);

    /// <summary>The preset called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the known ones.</exception>
    public static ModelPreset Get(string name) =>
        All.TryGetValue(name, out var preset)
            ? preset
            : throw new ArgumentException($"Unknown model preset '{name}'; known presets: {string.Join(", ", All.Keys)}.", nameof(name));
}
