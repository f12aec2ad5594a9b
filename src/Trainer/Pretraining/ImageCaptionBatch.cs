using static TorchSharp.torch;

namespace NpEdit.Trainer.Pretraining;

/// <summary>One training batch for text-to-image pretraining.</summary>
/// <param name="Images">(N, 3, H, W) float images in [−1, 1], on any device.</param>
/// <param name="Captions">N captions.</param>
public sealed record ImageCaptionBatch(Tensor Images, IReadOnlyList<string> Captions);
