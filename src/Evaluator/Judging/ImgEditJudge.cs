using NpEdit.Core.Prompts;
using NpEdit.Evaluator.Imaging;

namespace NpEdit.Evaluator.Judging;

/// <summary>
/// ImgEdit-Bench Basic's protocol (method notes §4): the edit type's rubric with [source, edited] gives three
/// 1–5 sub-scores; the item's score is their mean. Per-type means and their average over the nine types are
/// the published table's columns.
/// </summary>
public sealed class ImgEditJudge(EndpointScorer scorer) : IItemJudge
{
    public const string Score = "score";

    public string Name => "imgedit";
    public string? Model => scorer.Model;
    public IReadOnlyList<string> Metrics { get; } = [Score];

    public async Task<JudgeOutcome> JudgeAsync(JudgeInput input, int sample, CancellationToken ct)
    {
        var edited = ImageBytes.MatchSize(input.Edited, input.Source);
        var result = await scorer.AskAsync(JudgePrompts.ImgEdit(input.Item.Group),
            new Dictionary<string, string> { ["instruction"] = input.Item.Instruction }, [input.Source, edited], 3, 1, 5, sample, ct);
        if (result.Scores is null)
            return JudgeOutcome.Failed(result.Failure!, result.Calls);
        var s = result.Scores;
        return JudgeOutcome.Scored(new Dictionary<string, double>
        {
            [Score] = s.Average(),
            ["s1"] = s[0],
            ["s2"] = s[1],
            ["s3"] = s[2],
        }, result.Calls);
    }
}
