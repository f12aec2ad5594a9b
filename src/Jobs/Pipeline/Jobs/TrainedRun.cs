using NpEdit.Core.Tracking;
using Npgsql;

namespace NpEdit.Jobs.Pipeline.Jobs;

/// <summary>Loads a train run that must have finished before its benchmark can be generated or scored.</summary>
internal static class TrainedRun
{
    public static async Task<RunRecord> LoadAsync(NpgsqlDataSource dataSource, Guid runId, CancellationToken ct)
    {
        var run = await new RunStore(dataSource).GetAsync(runId, ct)
            ?? throw new InvalidOperationException($"Run {runId} does not exist (deleted after the job was queued?).");
        if (run.Status != "finished")
            throw new InvalidOperationException($"Run {runId} is '{run.Status}', not finished: its editor checkpoint is not final yet.");
        return run;
    }
}
