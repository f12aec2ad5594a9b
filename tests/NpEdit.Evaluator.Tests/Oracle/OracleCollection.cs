namespace NpEdit.Evaluator.Tests.Oracle;

/// <summary>Oracle tests share one torch runtime and the loaded checkpoint; running them one at a time avoids thrashing two cores.</summary>
[CollectionDefinition(Name)]
public sealed class OracleCollection
{
    public const string Name = "oracle";
}
