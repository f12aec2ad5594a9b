using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Critic;

/// <summary>
/// A frozen VLM critic as NP-Edit uses it (§4.2): one teacher-forced forward pass per question returns the
/// logits at the answer position, so L_VLM = −log σ(ℓ_correct − ℓ_opposite) back-propagates into the edited
/// image. Implementations keep their parameters frozen (no parameter ever receives a gradient) and do their
/// image preprocessing (resize, normalise) in tensors so it stays differentiable.
/// </summary>
public interface IEditCritic : IDisposable
{
    /// <summary>Token id of the answer "Yes" (Qwen2: 9454).</summary>
    long YesTokenId { get; }

    /// <summary>Token id of the answer "No" (Qwen2: 2753).</summary>
    long NoTokenId { get; }

    /// <summary>The underlying module (device moves, dtype casts, pretraining, checkpoints).</summary>
    nn.Module Module { get; }

    /// <summary>
    /// Answer-position logits over the critic's vocabulary, one row per question.
    /// </summary>
    /// <param name="reference">(N, 3, H, W) in [−1, 1], shown first; null for single-image questions (removal's presence question).</param>
    /// <param name="edited">(N, 3, H, W) in [−1, 1]; may require grad.</param>
    /// <param name="questions">N question texts (App. E), already filled.</param>
    /// <returns>(N, V) logits.</returns>
    Tensor AnswerLogits(Tensor? reference, Tensor edited, IReadOnlyList<string> questions);
}
