namespace NpEdit.Evaluator.Benchmarks;

/// <summary>A loaded benchmark: its items in a fixed order, and warnings a user should see (e.g. fewer items than published).</summary>
public sealed record EvalBenchmark(string Name, BenchmarkKind Kind, string Root, IReadOnlyList<EvalItem> Items)
{
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public IReadOnlyList<string> Groups => Items.Select(i => i.Group).Distinct().Order(StringComparer.Ordinal).ToArray();
}
