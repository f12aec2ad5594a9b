using System.Globalization;
using Dapper;
using Npgsql;
using NpEdit.Core.Tracking;

namespace NpEdit.Jobs.Pipeline;

/// <summary>
/// What every run-based job shares: a finished run is left alone (rerunning a job is safe), the run row moves
/// running → finished | failed | cancelled and remembers the job id, and while the stage works its newest
/// metrics (step and losses, written by the stage) are mirrored into the job's <c>progress</c> parameter.
/// </summary>
public sealed class RunLifecycle(NpgsqlDataSource dataSource)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="stage"/> for the run unless it already finished; returns whether it ran.</summary>
    public async Task<bool> ExecuteAsync(Guid runId, JobProgress progress, Func<RunRecord, CancellationToken, Task> stage, CancellationToken ct)
    {
        var runs = new RunStore(dataSource);
        var run = await runs.GetAsync(runId, ct)
            ?? throw new InvalidOperationException($"Run {runId} does not exist (deleted after the job was queued?).");
        if (run.Status == "finished")
        {
            progress.Report("already finished; nothing to do");
            return false;
        }
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            await conn.ExecuteAsync(new CommandDefinition(
                "UPDATE npedit.runs SET job_id = coalesce(@jobId, job_id), host = @host WHERE id = @runId",
                new { runId, jobId = progress.JobId, host = Environment.MachineName }, cancellationToken: ct));
        }
        await runs.SetStatusAsync(runId, RunStatus.Running, ct: ct);
        progress.Report("started");
        using var mirror = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var mirroring = MirrorMetricsAsync(runId, progress, mirror.Token);
        try
        {
            await stage((await runs.GetAsync(runId, ct))!, ct);
            await runs.SetStatusAsync(runId, RunStatus.Finished, ct: CancellationToken.None);
            progress.Report("finished");
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await runs.SetStatusAsync(runId, RunStatus.Cancelled, "cancelled (job deleted or worker shutting down)", CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            await runs.SetStatusAsync(runId, RunStatus.Failed, e.Message, CancellationToken.None);
            throw;
        }
        finally
        {
            await mirror.CancelAsync();
            await mirroring;
        }
    }

    private async Task MirrorMetricsAsync(Guid runId, JobProgress progress, CancellationToken ct)
    {
        var metrics = new MetricStore(dataSource);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(ProgressInterval, ct);
                var latest = await metrics.LatestAsync(runId, ct);
                if (latest.Count == 0)
                    continue;
                progress.Report(Describe(latest));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (NpgsqlException)
        {
            // Progress is advisory; the stage's own result decides the job's outcome.
        }
    }

    /// <summary>"step 120 · loss/total 0.412 · loss/vlm 0.693" from the newest metric values.</summary>
    public static string Describe(IReadOnlyDictionary<string, (long Step, double Value)> latest)
    {
        var step = latest.Values.Max(v => v.Step);
        var losses = latest.Where(kv => kv.Key.StartsWith("loss", StringComparison.Ordinal))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key} {kv.Value.Value.ToString("G4", CultureInfo.InvariantCulture)}");
        return string.Join(" · ", new[] { $"step {step}" }.Concat(losses));
    }
}
