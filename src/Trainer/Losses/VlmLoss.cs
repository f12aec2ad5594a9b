using static TorchSharp.torch;

namespace NpEdit.Trainer.Losses;

/// <summary>
/// The VLM critic loss of paper Eq. 4: for each question j with correct answer a_j,
/// L = −Σ_j log σ(s·(ℓ_{a_j} − ℓ_{ā_j})), where only the "Yes" and "No" logits at the answer position are
/// compared (a binary cross-entropy over the two answers). s is the optional logit-scale ramp of the
/// author's reimplementation (0.1 → 1 over the first steps). The full-vocabulary cross-entropy is the
/// ablation of Table 3 ("CE").
/// </summary>
public static class VlmLoss
{
    /// <param name="correct">(N,) logit of the correct answer per question.</param>
    /// <param name="opposite">(N,) logit of the opposite answer.</param>
    /// <param name="logitScale">s in (0, 1].</param>
    /// <param name="name">Question kind for the logs, e.g. <c>edit</c> or <c>identity</c>.</param>
    public static LossTerms BinaryYesNo(Tensor correct, Tensor opposite, double logitScale, string name)
    {
        var margin = (correct - opposite) * logitScale;
        var loss = -nn.functional.logsigmoid(margin).mean();
        return new LossTerms(loss, new Dictionary<string, double>
        {
            [$"loss/vlm_{name}"] = loss.item<float>(),
            [$"p_correct/{name}"] = sigmoid(correct - opposite).mean().item<float>(),
        });
    }

    /// <summary>Cross-entropy over the whole vocabulary at the answer position (ablation "CE", Table 3).</summary>
    /// <param name="logits">(N, V) answer-position logits.</param>
    /// <param name="correctIds">(N,) token id of the correct answer.</param>
    public static LossTerms CrossEntropyFullVocab(Tensor logits, Tensor correctIds, double logitScale, string name)
    {
        var loss = nn.functional.cross_entropy(logits * logitScale, correctIds);
        using var probs = softmax(logits.detach(), -1);
        return new LossTerms(loss, new Dictionary<string, double>
        {
            [$"loss/vlm_{name}"] = loss.item<float>(),
            [$"p_correct/{name}"] = probs.gather(1, correctIds.unsqueeze(1)).mean().item<float>(),
        });
    }

    /// <summary>The linear logit-scale ramp from <paramref name="start"/> to 1 over <paramref name="rampSteps"/> steps.</summary>
    public static double LogitScale(long step, double start, long rampSteps) =>
        rampSteps <= 0 ? 1.0 : Math.Min(1.0, start + (1.0 - start) * step / rampSteps);
}
