using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace NpEdit.Core.Tracking;

/// <summary>
/// Metric histories. Writes go through binary COPY into a session temp table and then one
/// <c>INSERT … ON CONFLICT</c>, so bulk logging is fast and re-logging a step (after a resume) overwrites it.
/// </summary>
public sealed class MetricStore(NpgsqlDataSource dataSource)
{
    /// <summary>Writes the points in one transaction; returns how many rows were written.</summary>
    public async Task<long> LogAsync(IReadOnlyCollection<MetricPoint> points, CancellationToken ct = default)
    {
        if (points.Count == 0)
            return 0;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            CREATE TEMP TABLE metrics_staging (run_id uuid, key text, step bigint, value double precision, wall_time timestamptz)
            ON COMMIT DROP
            """, transaction: tx, cancellationToken: ct));
        await using (var copy = await conn.BeginBinaryImportAsync(
            "COPY metrics_staging (run_id, key, step, value, wall_time) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var p in points)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(p.RunId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(p.Key, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(p.Step, NpgsqlDbType.Bigint, ct);
                await copy.WriteAsync(p.Value, NpgsqlDbType.Double, ct);
                await copy.WriteAsync(DateTime.SpecifyKind(p.WallTime.ToUniversalTime(), DateTimeKind.Utc), NpgsqlDbType.TimestampTz, ct);
            }
            await copy.CompleteAsync(ct);
        }
        // DISTINCT ON keeps the last value when one batch repeats (run, key, step).
        var written = await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO npedit.metrics (run_id, key, step, value, wall_time)
            SELECT DISTINCT ON (run_id, key, step) run_id, key, step, value, wall_time
            FROM metrics_staging ORDER BY run_id, key, step, wall_time DESC
            ON CONFLICT (run_id, key, step) DO UPDATE SET value = EXCLUDED.value, wall_time = EXCLUDED.wall_time
            """, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return written;
    }

    /// <summary>The history of one metric, ordered by step.</summary>
    public async Task<IReadOnlyList<MetricPoint>> HistoryAsync(Guid runId, string key, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(long Step, double Value, DateTime WallTime)>(new CommandDefinition(
            "SELECT step, value, wall_time FROM npedit.metrics WHERE run_id = @runId AND key = @key ORDER BY step",
            new { runId, key }, cancellationToken: ct));
        return rows.Select(r => new MetricPoint(runId, key, r.Step, r.Value, r.WallTime)).ToList();
    }

    /// <summary>The latest value of every metric of a run.</summary>
    public async Task<IReadOnlyDictionary<string, (long Step, double Value)>> LatestAsync(Guid runId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Key, long Step, double Value)>(new CommandDefinition("""
            SELECT DISTINCT ON (key) key, step, value FROM npedit.metrics WHERE run_id = @runId ORDER BY key, step DESC
            """, new { runId }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Key, r => (r.Step, r.Value));
    }
}
