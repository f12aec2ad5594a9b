namespace NpEdit.Jobs.Demo;

/// <summary>A demo stage whose job failed for good; the message says which job and why.</summary>
public sealed class DemoStageFailedException(string message) : Exception(message);
