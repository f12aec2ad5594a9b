namespace NpEdit.Trainer.Models;

/// <summary>
/// Hyperparameters of <see cref="DiT"/>. Every default lives here; <see cref="ModelPresets"/> only
/// overrides what differs (nanoGPT style), and checkpoints store the resolved record.
/// </summary>
public sealed record DiTConfig
{
    /// <summary>Side of the (square) input in pixels, or latent cells behind a VAE.</summary>
    public int ImageSize { get; init; } = 32;

    /// <summary>Channels of the input: 3 for RGB pixels, the VAE's latent channels otherwise.</summary>
    public int InChannels { get; init; } = 3;

    /// <summary>Patch side; the sequence has (ImageSize / PatchSize)² image tokens.</summary>
    public int PatchSize { get; init; } = 2;

    /// <summary>Token width D.</summary>
    public int HiddenSize { get; init; } = 192;

    /// <summary>Number of adaLN-Zero blocks.</summary>
    public int Depth { get; init; } = 6;

    /// <summary>Attention heads; must divide <see cref="HiddenSize"/>.</summary>
    public int NumHeads { get; init; } = 6;

    /// <summary>MLP hidden width as a multiple of D (DiT uses 4).</summary>
    public double MlpRatio { get; init; } = 4.0;

    /// <summary>Width of the text encoder's output tokens, projected to D inside the DiT.</summary>
    public int TextDim { get; init; } = 128;

    /// <summary>Width of the sinusoidal timestep features fed to the timestep MLP (DiT: 256).</summary>
    public int FrequencyEmbeddingSize { get; init; } = 256;

    /// <summary>
    /// The editor also adds the reference to the target token at the same position through its own patch embedding,
    /// zero-initialised: InstructPix2Pix's extra input channels (Brooks et al. 2023, §3.2) on top of the reference
    /// tokens in the sequence. Copying an unchanged region then is a read-out of the token's own input instead of an
    /// attention look-up of the matching reference token. Off for text-to-image models (nothing to add).
    /// </summary>
    public bool ReferenceChannels { get; init; }

    /// <summary>Image tokens per side.</summary>
    public int GridSize => ImageSize / PatchSize;

    /// <summary>Image tokens T = GridSize².</summary>
    public int ImageTokens => GridSize * GridSize;

    /// <summary>MLP hidden width.</summary>
    public int MlpHidden => (int)Math.Round(HiddenSize * MlpRatio);

    /// <summary>Rejects inconsistent settings with a message naming the values.</summary>
    public DiTConfig Validate()
    {
        if (ImageSize <= 0 || PatchSize <= 0 || ImageSize % PatchSize != 0)
            throw new ArgumentException($"DiT ImageSize {ImageSize} must be a positive multiple of PatchSize {PatchSize}.");
        if (InChannels <= 0 || Depth <= 0 || TextDim <= 0 || MlpRatio <= 0)
            throw new ArgumentException($"DiT InChannels ({InChannels}), Depth ({Depth}), TextDim ({TextDim}) and MlpRatio ({MlpRatio}) must be positive.");
        if (NumHeads <= 0 || HiddenSize % NumHeads != 0)
            throw new ArgumentException($"DiT HiddenSize {HiddenSize} must be divisible by NumHeads {NumHeads}.");
        if (HiddenSize % 4 != 0)
            throw new ArgumentException($"DiT HiddenSize {HiddenSize} must be divisible by 4 for the 2D sin-cos positions.");
        if (FrequencyEmbeddingSize <= 0 || FrequencyEmbeddingSize % 2 != 0)
            throw new ArgumentException($"DiT FrequencyEmbeddingSize {FrequencyEmbeddingSize} must be a positive even number.");
        return this;
    }

    /// <summary>
    /// The number of parameters <see cref="DiT"/> allocates for this config, computed without building it
    /// (so presets like dit-2b can be sized on a CPU box).
    /// </summary>
    public long ParameterCount()
    {
        long d = HiddenSize, p = PatchSize, c = InChannels, f = FrequencyEmbeddingSize, h = MlpHidden, td = TextDim;
        long Linear(long inF, long outF) => inF * outF + outF;
        var patchEmbed = c * p * p * d + d;
        var timestep = Linear(f, d) + Linear(d, d);
        var text = Linear(td, d) + Linear(td, d);                  // token projection + pooled projection
        var marker = d;
        var referenceChannels = ReferenceChannels ? patchEmbed : 0;
        var block = Linear(d, 3 * d) + Linear(d, d)                // attention
                    + Linear(d, h) + Linear(h, d)                  // MLP
                    + Linear(d, 6 * d);                            // adaLN-Zero modulation
        var final = Linear(d, 2 * d) + Linear(d, p * p * c);
        return patchEmbed + referenceChannels + timestep + text + marker + Depth * block + final;
    }
}
