namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// How a parsed output compares with an edit's source and target scenes. <see cref="EditSuccess"/> is 1 when every
/// fact the edit asks to change holds in the output; <see cref="EditFacts"/> is the share of those facts that hold;
/// <see cref="Preservation"/> is the share of things the edit should leave alone that are unchanged.
/// </summary>
public sealed record EditJudgement(double EditSuccess, double EditFacts, double Preservation, IReadOnlyList<string> MissedFacts, IReadOnlyList<string> ChangedByMistake);
