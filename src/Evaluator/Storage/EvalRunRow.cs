namespace NpEdit.Evaluator.Storage;

/// <summary>An eval run as listed for reports.</summary>
public sealed record EvalRunRow(
    Guid RunId, string Experiment, string Label, string Checkpoint, string Benchmark, string Judge, string? JudgeModel,
    int? SamplerSteps, int SamplesPerItem, Guid? OutputSetId, DateTime CreatedAt);
