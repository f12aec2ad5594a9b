namespace NpEdit.Evaluator.Reports;

/// <summary>Which eval runs a report covers (an experiment, or a grid tag across experiments) and where it goes.</summary>
public sealed record ReportRequest(string? Experiment, string? Grid, string OutputDirectory)
{
    /// <summary>Rows of the qualitative grid per benchmark.</summary>
    public int QualitativeRows { get; init; } = 6;

    public void Validate()
    {
        if ((Experiment is null) == (Grid is null))
            throw new ArgumentException("Pass exactly one of --experiment X or --grid G.");
        if (QualitativeRows < 1) throw new ArgumentException($"Qualitative rows must be at least 1 (got {QualitativeRows}).");
    }
}
