namespace NpEdit.Trainer.Models.Text;

/// <summary>
/// Turns captions into the token sequence the DiT attends to. The ShapesWorld encoder
/// (<see cref="ShapesTextEncoder"/>) implements it now; a pretrained one (T5, CLIP, Gemma) can later.
/// </summary>
public interface ITextEncoder
{
    /// <summary>Width of the output tokens (the DiT's <see cref="DiTConfig.TextDim"/>).</summary>
    int OutputDim { get; }

    /// <summary>Encodes a batch of captions on <paramref name="device"/>; an empty caption is the unconditional prompt.</summary>
    TextEncoding Encode(IReadOnlyList<string> captions, TorchSharp.torch.Device device);
}
