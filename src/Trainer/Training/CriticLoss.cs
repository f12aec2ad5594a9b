using NpEdit.Core.Config.Training;
using NpEdit.Core.Shards;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Losses;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Training;

/// <summary>
/// L_VLM of paper Eq. 4 over a batch: each sample's App. E questions (<see cref="CriticQuestions"/>) go to the
/// frozen critic in one teacher-forced pass per question group, and the per-kind losses are summed
/// (−Σ_j log σ(ℓ_{a_j} − ℓ_{ā_j}), j over the question kinds). Also reports p(correct) per kind and edit type.
/// </summary>
public static class CriticLoss
{
    /// <param name="critic">The frozen critic.</param>
    /// <param name="reference">(N, 3, H, W) the input images y in [−1, 1].</param>
    /// <param name="edited">(N, 3, H, W) the editor's outputs, attached to the graph.</param>
    /// <param name="samples">The N rows the images belong to.</param>
    /// <param name="identity">Ask the identity-preservation question (ablation switch).</param>
    /// <param name="kind">Yes/No BCE (Eq. 4) or full-vocabulary CE (ablation).</param>
    /// <param name="logitScale">The logit-scale ramp's current value.</param>
    public static LossTerms Compute(IEditCritic critic, Tensor reference, Tensor edited, IReadOnlyList<EditSample> samples,
        bool identity, VlmLossKind kind, double logitScale)
    {
        var asked = samples.SelectMany((s, i) => CriticQuestions.For(s, identity).Select(q => (Index: i, Question: q))).ToList();
        Tensor? total = null;
        var logs = new Dictionary<string, double>();
        foreach (var group in asked.GroupBy(a => a.Question.Kind))
        {
            var (correct, opposite, logits, correctIds, items) = Ask(critic, reference, edited, group.ToList());
            var terms = kind == VlmLossKind.BceYesNo
                ? VlmLoss.BinaryYesNo(correct, opposite, logitScale, group.Key)
                : VlmLoss.CrossEntropyFullVocab(logits, correctIds, logitScale, group.Key);
            total = total is null ? terms.Loss : total + terms.Loss;                          // −Σ_j over question kinds
            foreach (var (key, value) in terms.Logs)
                logs[key] = value;
            using var p = kind == VlmLossKind.BceYesNo
                ? sigmoid(correct - opposite).detach()
                : softmax(logits.detach(), -1).gather(1, correctIds.unsqueeze(1)).squeeze(1);
            var probabilities = p.cpu().data<float>().ToArray();
            foreach (var byType in items.Select((item, row) => (Type: samples[item.Index].EditType, P: probabilities[row])).GroupBy(x => x.Type))
                logs[$"p_correct/{group.Key}/{byType.Key}"] = byType.Average(x => x.P);
        }
        if (total is null)
            throw new ArgumentException("No critic questions for an empty batch.", nameof(samples));
        logs["loss/vlm"] = total.item<float>();
        return new LossTerms(total, logs);
    }

    /// <summary>
    /// One critic pass per image layout (single-image removal questions, then two-image ones), with the rows
    /// reordered so that row r belongs to the r-th returned item.
    /// </summary>
    private static (Tensor Correct, Tensor Opposite, Tensor Logits, Tensor CorrectIds, List<(int Index, CriticQuestion Question)> Items) Ask(
        IEditCritic critic, Tensor reference, Tensor edited, List<(int Index, CriticQuestion Question)> questions)
    {
        var items = new List<(int Index, CriticQuestion Question)>();
        var parts = new List<Tensor>();
        foreach (var layout in questions.GroupBy(q => q.Question.SingleImage).OrderByDescending(g => g.Key))
        {
            var rows = layout.ToList();
            var index = tensor(rows.Select(r => (long)r.Index).ToArray(), device: edited.device);
            var shown = layout.Key ? null : reference.index_select(0, index);
            parts.Add(critic.AnswerLogits(shown, edited.index_select(0, index), rows.Select(r => r.Question.Text).ToArray())); // (n, V)
            items.AddRange(rows);
        }
        var logits = cat(parts, 0).to(float32);                                                      // (Q, V), fp32 also for a bf16 critic
        var correctIds = tensor(items.Select(i => i.Question.CorrectIsYes ? critic.YesTokenId : critic.NoTokenId).ToArray(), device: logits.device);
        var oppositeIds = tensor(items.Select(i => i.Question.CorrectIsYes ? critic.NoTokenId : critic.YesTokenId).ToArray(), device: logits.device);
        var correct = logits.gather(1, correctIds.unsqueeze(1)).squeeze(1);                         // (Q,) ℓ_a
        var opposite = logits.gather(1, oppositeIds.unsqueeze(1)).squeeze(1);                       // (Q,) ℓ_ā
        return (correct, opposite, logits, correctIds, items);
    }
}
