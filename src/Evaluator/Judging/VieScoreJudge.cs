using NpEdit.Core.Prompts;
using NpEdit.Evaluator.Imaging;
using NpEdit.Evaluator.Scoring;

namespace NpEdit.Evaluator.Judging;

/// <summary>
/// VIEScore over an OpenAI-compatible endpoint (method notes §3). Editing: the SC prompt with [source, edited]
/// gives (editing success, over-editing), the PQ prompt with the edited image alone gives (naturalness,
/// artifacts). Subject-driven (DreamBooth): SC with [subject photo, generated] gives (prompt following,
/// subject resemblance). The edited image is resized to the source size first, as GEdit-Bench's script does.
/// </summary>
public sealed class VieScoreJudge(EndpointScorer scorer, bool subjectDriven = false) : IItemJudge
{
    public string Name => subjectDriven ? "vie-subject" : "vie";
    public string? Model => scorer.Model;
    public IReadOnlyList<string> Metrics => VieScore.Metrics;

    public async Task<JudgeOutcome> JudgeAsync(JudgeInput input, int sample, CancellationToken ct)
    {
        var edited = ImageBytes.MatchSize(input.Edited, input.Source);
        var (scPrompt, values) = subjectDriven
            ? (JudgePrompts.VieSubjectSemanticConsistency, new Dictionary<string, string>
            {
                ["prompt"] = input.Item.Instruction,
                ["subject"] = input.Item.SubjectClass ?? input.Item.Subject ?? "subject",
            })
            : (JudgePrompts.VieEditSemanticConsistency, new Dictionary<string, string> { ["instruction"] = input.Item.Instruction });

        var sc = await scorer.AskAsync(scPrompt, values, [input.Source, edited], 2, 0, 10, sample, ct);
        if (sc.Scores is null)
            return JudgeOutcome.Failed(sc.Failure!, sc.Calls);
        var pq = await scorer.AskAsync(JudgePrompts.ViePerceptualQuality, new Dictionary<string, string>(), [edited], 2, 0, 10, sample, ct);
        var calls = sc.Calls.Concat(pq.Calls).ToArray();
        if (pq.Scores is null)
            return JudgeOutcome.Failed(pq.Failure!, calls);

        var (scMin, pqMin, overall) = VieScore.Combine(sc.Scores, pq.Scores);
        return JudgeOutcome.Scored(new Dictionary<string, double>
        {
            [VieScore.Sc] = scMin,
            [VieScore.Pq] = pqMin,
            [VieScore.Overall] = overall,
            [subjectDriven ? "sc_prompt_following" : "sc_editing_success"] = sc.Scores[0],
            [subjectDriven ? "sc_subject_resemblance" : "sc_over_editing"] = sc.Scores[1],
            ["pq_naturalness"] = pq.Scores[0],
            ["pq_artifacts"] = pq.Scores[1],
        }, calls);
    }
}
