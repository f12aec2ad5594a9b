using static TorchSharp.torch;

namespace NpEdit.Trainer.Pretraining;

/// <summary>One training batch for text-to-image pretraining; disposing it frees its tensors.</summary>
/// <param name="Images">(N, 3, H, W) float images in [−1, 1], on any device.</param>
/// <param name="Captions">N captions.</param>
/// <param name="Weights">(N, 1, H, W) per-pixel loss weights (<see cref="ObjectWeights"/>), or null for the plain loss.</param>
public sealed record ImageCaptionBatch(Tensor Images, IReadOnlyList<string> Captions, Tensor? Weights = null) : IDisposable
{
    /// <inheritdoc />
    public void Dispose()
    {
        Images.Dispose();
        Weights?.Dispose();
    }
}
