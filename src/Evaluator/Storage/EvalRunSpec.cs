using System.Text.Json.Nodes;

namespace NpEdit.Evaluator.Storage;

/// <summary>
/// An eval run to create or resume: the same experiment and config find the same run (RunStore's config hash),
/// so a rerun judges only what is missing.
/// </summary>
public sealed record EvalRunSpec(
    string Experiment, string Label, string Checkpoint, string Benchmark, string Judge, string? JudgeModel,
    int? SamplerSteps, int SamplesPerItem, Guid? OutputSetId, JsonObject Config)
{
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    /// <summary>The judge's headline metrics, in report order.</summary>
    public IReadOnlyList<string> Metrics { get; init; } = [];

    public string OutputsDirectory { get; init; } = "";
    public string BenchmarkRoot { get; init; } = "";
}
