namespace NpEdit.Evaluator.Oracle;

/// <summary>The <c>&lt;name&gt;.config.json</c> beside an oracle's weights: the network shape and how it was trained.</summary>
public sealed record OracleCheckpointFile(string Format, OracleConfig Model, OracleTrainingRecord Training)
{
    /// <summary>Adds <see cref="OracleConfig.Detail"/> (null: the network without the detail branch).</summary>
    public const string CurrentFormat = "npedit-shapesworld-oracle/2";

    /// <summary>The network before the detail branch; its config has no <see cref="OracleConfig.Detail"/> key, read as null.</summary>
    public const string FirstFormat = "npedit-shapesworld-oracle/1";
}
