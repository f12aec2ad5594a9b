namespace NpEdit.Trainer.Training;

/// <summary>The scalar part of a training checkpoint (<c>trainer.json</c>).</summary>
/// <param name="Step">Steps done.</param>
/// <param name="SkippedSteps">Non-finite steps skipped so far.</param>
/// <param name="NonFiniteInARow">Non-finite steps in a row at save time.</param>
public sealed record TrainerState(long Step, long SkippedSteps, int NonFiniteInARow);
