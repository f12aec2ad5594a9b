namespace NpEdit.Evaluator.Judging;

/// <summary>
/// Scores one benchmark item. Every judge — the VIEScore, ImgEdit and DreamBooth protocols over an endpoint,
/// the in-process critic, the ShapesWorld ground-truth oracle — plugs into the evaluation pipeline through this.
/// </summary>
public interface IItemJudge
{
    /// <summary>Stored in <c>eval_runs.judge</c>, e.g. <c>vie</c>, <c>imgedit</c>, <c>critic</c>, <c>oracle</c>.</summary>
    string Name { get; }

    /// <summary>The model behind the judge (endpoint model id, critic checkpoint), or null.</summary>
    string? Model { get; }

    /// <summary>The headline metrics, in report order (e.g. sc, pq, overall).</summary>
    IReadOnlyList<string> Metrics { get; }

    /// <summary>Judges one item; <paramref name="sample"/> numbers repeated judgments (different seeds).</summary>
    Task<JudgeOutcome> JudgeAsync(JudgeInput input, int sample, CancellationToken ct);
}
