namespace NpEdit.Trainer.Pretraining;

/// <summary>What <see cref="T2IPretrainJob"/> is doing, for a progress bar.</summary>
/// <param name="Phase">"corpus", "loading", "training", "evaluating" or "checkpoint".</param>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="Steps">Optimizer steps planned.</param>
/// <param name="Loss">The last flow-matching loss, when training.</param>
public sealed record T2IProgress(string Phase, long Step, long Steps, double? Loss = null);
