namespace NpEdit.Jobs.Pipeline;

/// <summary>A pipeline stage this build cannot run (its library entry point is not part of it); retrying will not help.</summary>
public sealed class StageUnavailableException(string stage, string what) : Exception(
    $"The '{stage}' stage is not available in this build: {what}. Update the checkout (git pull) and restart the workers.");
