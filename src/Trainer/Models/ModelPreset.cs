using NpEdit.Trainer.Models.Text;

namespace NpEdit.Trainer.Models;

/// <summary>A named generator size: the DiT and the text encoder that feeds it.</summary>
/// <param name="Name">The preset name used on the command line, e.g. <c>shapes-s</c>.</param>
/// <param name="DiT">The DiT hyperparameters.</param>
/// <param name="Text">The text encoder hyperparameters; <see cref="DiTConfig.TextDim"/> equals its <see cref="TextEncoderConfig.Dim"/>.</param>
public sealed record ModelPreset(string Name, DiTConfig DiT, TextEncoderConfig Text)
{
    /// <summary>Validates both parts and that they agree on the text width.</summary>
    public ModelPreset Validate()
    {
        DiT.Validate();
        Text.Validate();
        if (DiT.TextDim != Text.Dim)
            throw new ArgumentException($"Preset {Name}: DiT TextDim {DiT.TextDim} differs from the text encoder Dim {Text.Dim}.");
        return this;
    }
}
