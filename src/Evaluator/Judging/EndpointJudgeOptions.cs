namespace NpEdit.Evaluator.Judging;

/// <summary>How an endpoint judge samples and how often it re-asks when a reply cannot be read.</summary>
public sealed record EndpointJudgeOptions
{
    /// <summary>Requests per prompt before the item is recorded as a failure (the first included).</summary>
    public int ParseAttempts { get; init; } = 3;

    /// <summary>0 = greedy, as the Qwen2.5-VL path of GEdit-Bench; raise it for repeated judging.</summary>
    public float Temperature { get; init; }

    /// <summary>Base seed; each sample and re-ask gets its own, so a re-ask is a new request (and a new cache key).</summary>
    public long Seed { get; init; } = 42;

    /// <summary>GEdit-Bench's GPT path allows 1400 tokens.</summary>
    public int MaxOutputTokens { get; init; } = 1400;

    public void Validate()
    {
        if (ParseAttempts < 1) throw new ArgumentException($"Parse attempts must be at least 1 (got {ParseAttempts}).");
        if (Temperature is < 0 or > 2) throw new ArgumentException($"Temperature must be in [0, 2] (got {Temperature}).");
        if (MaxOutputTokens < 16) throw new ArgumentException($"Max output tokens must be at least 16 (got {MaxOutputTokens}).");
    }
}
