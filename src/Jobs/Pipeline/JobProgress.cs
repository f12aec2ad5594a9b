using Hangfire.Server;

namespace NpEdit.Jobs.Pipeline;

/// <summary>
/// Progress shown on the dashboard's job page through job parameters (Hangfire.Console is not available from our
/// package source); <c>null</c> context (a direct call outside Hangfire) makes every call a no-op.
/// </summary>
public sealed class JobProgress(PerformContext? context)
{
    public string? JobId => context?.BackgroundJob.Id;

    public void Report(string message) => Set("progress", message);

    public void Set(string name, string value)
    {
        try
        {
            context?.SetJobParameter(name, value);
        }
        catch (Exception e) when (e is InvalidOperationException or Npgsql.NpgsqlException)
        {
            // Progress is advisory: a storage hiccup must not fail hours of training.
        }
    }
}
