namespace NpEdit.Trainer.Training;

/// <summary>Too many non-finite steps in a row: the run stops with a message that says what to change.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);
