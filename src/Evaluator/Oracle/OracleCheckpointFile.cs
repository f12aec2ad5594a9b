namespace NpEdit.Evaluator.Oracle;

/// <summary>The <c>&lt;name&gt;.config.json</c> beside an oracle's weights: the network shape and how it was trained.</summary>
public sealed record OracleCheckpointFile(string Format, OracleConfig Model, OracleTrainingRecord Training)
{
    public const string CurrentFormat = "npedit-shapesworld-oracle/1";
}
