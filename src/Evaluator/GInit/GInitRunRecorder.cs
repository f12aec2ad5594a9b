using Npgsql;
using NpEdit.Core.Database;
using NpEdit.Core.Tracking;

namespace NpEdit.Evaluator.GInit;

/// <summary>
/// Stores a G_init evaluation with the pretraining run it belongs to: one metric per rate
/// (<c>eval/oracle_&lt;name&gt;</c> for the samples, <c>eval/oracle_ceiling_&lt;name&gt;</c> for the true renders) at the
/// checkpoint's step, and the grid as an <c>oracle-grid</c> artifact.
/// </summary>
public sealed class GInitRunRecorder(NpgsqlDataSource dataSource)
{
    public const string MetricPrefix = "eval/oracle_";
    public const string CeilingPrefix = "eval/oracle_ceiling_";
    public const string GridArtifact = "oracle-grid";

    /// <summary>
    /// The run a checkpoint belongs to when it lies in this home's run folders
    /// (<c>&lt;state&gt;/runs/&lt;run-id&gt;/checkpoints/&lt;step&gt;/&lt;file&gt;</c>); null for a checkpoint from elsewhere.
    /// </summary>
    public static Guid? RunOf(string checkpointPath)
    {
        var folder = new FileInfo(Path.GetFullPath(checkpointPath)).Directory;
        var checkpoints = folder?.Parent;
        var run = checkpoints?.Parent;
        if (checkpoints?.Name != "checkpoints" || run?.Parent is null || !Guid.TryParse(run.Name, out var id))
            return null;
        var runs = Path.GetFullPath(Path.Combine(ProjectPaths.StateDirectory(), "runs"));
        return string.Equals(Path.GetFullPath(run.Parent.FullName).TrimEnd(Path.DirectorySeparatorChar), runs.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal)
            ? id
            : null;
    }

    public async Task RecordAsync(Guid runId, GInitEvaluationResult result, CancellationToken ct = default)
    {
        if (await new RunStore(dataSource).GetAsync(runId, ct) is null)
            throw new ArgumentException($"Run {runId} is not in the database; pass the run that trained the checkpoint, or --run none to store nothing.");
        var now = DateTime.UtcNow;
        var points = result.Samples.Rates.Select(r => (Key: MetricPrefix + r.Name, r.Value))
            .Concat(result.TrueRenders.Rates.Select(r => (Key: CeilingPrefix + r.Name, r.Value)))
            .Where(p => double.IsFinite(p.Value))
            .Select(p => new MetricPoint(runId, p.Key, result.Step, p.Value, now))
            .ToArray();
        await new MetricStore(dataSource).LogAsync(points, ct);
        if (File.Exists(result.GridPath))
            await new ArtifactStore(dataSource).RecordAsync(runId, GridArtifact, result.GridPath, ct);
    }
}
