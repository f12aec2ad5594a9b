using NpEdit.Core.Tracking;

namespace NpEdit.Trainer.Training;

/// <summary>Where a run's metrics and artifacts go in PostgreSQL (Core's MetricStore and ArtifactStore).</summary>
public sealed class TrainingTracker(Guid runId, MetricStore metrics, ArtifactStore artifacts)
{
    public Guid RunId => runId;

    public Task LogAsync(long step, IReadOnlyDictionary<string, double> values, CancellationToken ct = default)
    {
        var now = DateTime.UtcNow;
        return metrics.LogAsync(values.Select(kv => new MetricPoint(runId, kv.Key, step, kv.Value, now)).ToList(), ct);
    }

    public Task RecordArtifactAsync(string kind, string path, CancellationToken ct = default) =>
        artifacts.RecordAsync(runId, kind, path, ct);
}
