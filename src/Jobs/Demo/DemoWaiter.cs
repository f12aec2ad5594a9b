using Hangfire;
using Spectre.Console;

namespace NpEdit.Jobs.Demo;

/// <summary>
/// Waits for a pipeline stage that runs as jobs, printing its progress line whenever it changes and failing at
/// once (with the job's error) when a job of this demo fails for good.
/// </summary>
public sealed class DemoWaiter(JobStorage storage)
{
    private readonly HashSet<string> _knownFailures = storage.GetMonitoringApi().FailedJobs(0, 1000).Select(f => f.Key).ToHashSet();

    /// <summary>Polls <paramref name="check"/> until it reports done; its text is the progress line.</summary>
    public async Task UntilAsync(Func<Task<(bool Done, string Progress)>> check, CancellationToken ct)
    {
        string? shown = null;
        while (true)
        {
            var (done, progress) = await check();
            if (progress != shown)
            {
                AnsiConsole.MarkupLine($"    [grey]{Markup.Escape(progress)}[/]");
                shown = progress;
            }
            if (done)
                return;
            var failed = storage.GetMonitoringApi().FailedJobs(0, 50).FirstOrDefault(f => !_knownFailures.Contains(f.Key));
            if (failed.Key is not null)
                throw new DemoStageFailedException(
                    $"job #{failed.Key} ({failed.Value.Job?.Type.Name}) failed: {failed.Value.ExceptionMessage}");
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }
}
