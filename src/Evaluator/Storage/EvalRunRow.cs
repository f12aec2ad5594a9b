namespace NpEdit.Evaluator.Storage;

/// <summary>An eval run as listed for reports (a property bag: Dapper cannot pass text[] to a constructor).</summary>
public sealed record EvalRunRow
{
    public Guid RunId { get; init; }
    public string Experiment { get; init; } = "";
    public string Label { get; init; } = "";
    public string Checkpoint { get; init; } = "";
    public string Benchmark { get; init; } = "";
    public string Judge { get; init; } = "";
    public string? JudgeModel { get; init; }
    public int? SamplerSteps { get; init; }
    public int SamplesPerItem { get; init; }
    public Guid? OutputSetId { get; init; }
    public string[] Metrics { get; init; } = [];
    public string OutputsDir { get; init; } = "";
    public string BenchmarkRoot { get; init; } = "";
    public DateTime CreatedAt { get; init; }
}
