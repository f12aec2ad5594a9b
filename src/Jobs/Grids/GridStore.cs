using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using NpEdit.Core.Tracking;

namespace NpEdit.Jobs.Grids;

/// <summary>Grids and their runs in PostgreSQL. Registering a grid twice inserts nothing new: runs are keyed by config hash.</summary>
public sealed class GridStore(NpgsqlDataSource dataSource)
{
    /// <summary>Creates or refreshes the grid row (its experiment has the grid's name).</summary>
    public async Task<long> UpsertAsync(GridSpec spec, CancellationToken ct = default)
    {
        var experimentId = await new RunStore(dataSource).EnsureExperimentAsync(spec.Name, spec.Description, ct);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO npedit.grids (name, experiment_id, source_path, spec) VALUES (@Name, @experimentId, @SourcePath, @spec::jsonb)
            ON CONFLICT (name) DO UPDATE SET source_path = EXCLUDED.source_path, spec = EXCLUDED.spec, submitted_at = now()
            RETURNING id
            """, new { spec.Name, experimentId, spec.SourcePath, spec = spec.ToDocument().ToJsonString() }, cancellationToken: ct));
    }

    /// <summary>Creates the runs of new points; returns every point's run and whether it was created now.</summary>
    public async Task<IReadOnlyList<(GridPoint Point, RunRecord Run, bool Created)>> RegisterAsync(
        long gridId, GridSpec spec, IReadOnlyList<GridPoint> points, CancellationToken ct = default)
    {
        var runs = new RunStore(dataSource);
        var result = new List<(GridPoint, RunRecord, bool)>();
        foreach (var point in points)
        {
            var tags = new Dictionary<string, string> { ["grid"] = spec.Name };
            if (point.Point["variant"] is JsonValue variant)
                tags["variant"] = variant.GetValue<string>();
            var (run, created) = await runs.CreateOrGetAsync(
                new NewRun(spec.Name, "train", point.Config.Json) { Name = point.Label, Tags = tags }, ct);
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO npedit.grid_runs (grid_id, run_id, point) VALUES (@gridId, @runId, @point::jsonb)
                ON CONFLICT (grid_id, run_id) DO NOTHING
                """, new { gridId, runId = run.Id, point = point.Point.ToJsonString() }, cancellationToken: ct));
            result.Add((point, run, created));
        }
        return result;
    }

    public async Task<GridRecord?> FindAsync(string name, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<GridRecord>(new CommandDefinition(
            $"{SelectGrids} WHERE name = @name", new { name }, cancellationToken: ct));
    }

    public async Task<GridRecord?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<GridRecord>(new CommandDefinition(
            $"{SelectGrids} WHERE id = @id", new { id }, cancellationToken: ct));
    }

    /// <summary>The grid's runs with status and latest logged step, in point order.</summary>
    public async Task<IReadOnlyList<GridRunRow>> RunsAsync(long gridId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<GridRunRow>(new CommandDefinition("""
            SELECT r.id AS run_id, r.name, g.point::text AS point, r.status, r.job_id, r.error,
                   (SELECT max(step) FROM npedit.metrics m WHERE m.run_id = r.id) AS step, r.started_at, r.ended_at
            FROM npedit.grid_runs g JOIN npedit.runs r ON r.id = g.run_id
            WHERE g.grid_id = @gridId ORDER BY r.created_at, r.id
            """, new { gridId }, cancellationToken: ct))).AsList();
    }

    public async Task SetJobAsync(Guid runId, string jobId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE npedit.runs SET job_id = @jobId WHERE id = @runId", new { runId, jobId }, cancellationToken: ct));
    }

    public async Task SetReportAsync(long gridId, string path, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE npedit.grids SET report_path = @path, reported_at = now() WHERE id = @gridId", new { gridId, path }, cancellationToken: ct));
    }

    private const string SelectGrids = """
        SELECT id, name, experiment_id, source_path, spec::text AS spec, submitted_at, report_path, reported_at FROM npedit.grids
        """;
}
