using static TorchSharp.torch;

namespace NpEdit.Trainer.Models.Text;

/// <summary>Encoded captions.</summary>
/// <param name="Tokens">(N, L, D) token features.</param>
/// <param name="Mask">(N, L) bool, true for real tokens, false for padding.</param>
public sealed record TextEncoding(Tensor Tokens, Tensor Mask);
