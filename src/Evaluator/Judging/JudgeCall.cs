namespace NpEdit.Evaluator.Judging;

/// <summary>One request a judge sent and the reply it got, for the <c>eval_items</c> row (raw reply, cost, whether it parsed).</summary>
public sealed record JudgeCall(string Prompt, string Reply, bool Parsed, int LatencyMs, int InputTokens, int OutputTokens, int Attempts);
