using NpEdit.Core.Shards;
using NpEdit.Evaluator.Imaging;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Runtime;
using NpEdit.Trainer.Training;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Judging;

/// <summary>
/// The in-process VLM critic as a cheap judge: the App. E questions of the VLM loss (edit verification, identity
/// preservation; removal's presence question; customization's pose and identity), answered with the critic's
/// Yes/No logits. Each question scores p(correct answer) = σ(ℓ_correct − ℓ_opposite), the quantity Eq. 4 trains
/// toward; the item's score is the mean over its questions.
/// </summary>
public sealed class CriticJudge(IEditCritic critic, Device device, string? model) : IItemJudge
{
    public const string Score = "score";
    private readonly Lock _gate = new();

    public string Name => "critic";
    public string? Model => model;
    public IReadOnlyList<string> Metrics { get; } = ["p_edit", "p_identity", Score];

    public Task<JudgeOutcome> JudgeAsync(JudgeInput input, int sample, CancellationToken ct)
    {
        IReadOnlyList<CriticQuestion> questions;
        try
        {
            questions = CriticQuestions.For(SampleOf(input), identity: true);
        }
        catch (InvalidDataException e)
        {
            return Task.FromResult(JudgeOutcome.Failed(e.Message, []));
        }
        var (source, width, height) = ImageBytes.DecodeRgb(input.Source);
        var (edited, _, _) = ImageBytes.DecodeRgb(input.Edited, width, height);
        var scores = new Dictionary<string, double>();
        // Guard first, then the lock: a thread waiting to enter a guarded block must hold no lock a guarded thread needs.
        using (TorchGcGuard.Enter())   // libtorch must not see a Scalar freed by a GC mid-call (TorchGcGuard)
        lock (_gate) // one critic module, judged from several items at once
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var reference = Imaging.ImageTensors.FromRgb([source], width, height, device);   // (1, 3, H, W)
            var output = Imaging.ImageTensors.FromRgb([edited], width, height, device);      // (1, 3, H, W)
            foreach (var question in questions)
            {
                var logits = critic.AnswerLogits(question.SingleImage ? null : reference, output, [question.Text]); // (1, V)
                var margin = (logits[0, critic.YesTokenId] - logits[0, critic.NoTokenId]).item<float>();
                var pYes = 1 / (1 + Math.Exp(-margin));
                scores[$"p_{question.Kind}"] = question.CorrectIsYes ? pYes : 1 - pYes;
            }
        }
        scores[Score] = scores.Values.Average();
        return Task.FromResult(JudgeOutcome.Scored(scores, []));
    }

    /// <summary>The shard row the App. E questions are written for, from a benchmark item.</summary>
    private static EditSample SampleOf(JudgeInput input)
    {
        var item = input.Item;
        var customization = item.Group is "customization" or "live" or "object";
        var remove = item.Group.Contains("remove", StringComparison.OrdinalIgnoreCase) && item.Subject is not null;
        return new EditSample
        {
            Id = item.Key,
            Instruction = item.Instruction,
            EditType = customization ? EditType.Customization : remove ? EditType.Remove : item.Group,
            Task = customization ? EditTask.Customization : EditTask.Local,
            ObjectName = item.Subject ?? item.SubjectClass ?? "",
        };
    }
}
