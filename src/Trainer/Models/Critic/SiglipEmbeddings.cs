using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Critic;

/// <summary>SigLIP patch embedding: a stride-p convolution ("valid" padding) plus one learned position per patch.</summary>
public sealed class SiglipEmbeddings : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d patch_embedding;
    private readonly Embedding position_embedding;

    public SiglipEmbeddings(SiglipVisionConfig config) : base(nameof(SiglipEmbeddings))
    {
        patch_embedding = nn.Conv2d(config.NumChannels, config.HiddenSize, kernel_size: config.PatchSize, stride: config.PatchSize);
        position_embedding = nn.Embedding(config.NumPatches, config.HiddenSize);
        RegisterComponents();
    }

    /// <param name="pixels">(N, C, S, S), normalised.</param>
    /// <returns>(N, T, D), T = (S/p)².</returns>
    public override Tensor forward(Tensor pixels)
    {
        var patches = patch_embedding.call(pixels).flatten(2).transpose(1, 2);   // (N, T, D)
        return patches + position_embedding.weight!;                             // learned absolute positions
    }
}
