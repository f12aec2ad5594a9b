using Dapper;
using Npgsql;

namespace NpEdit.Jobs.Dashboard;

/// <summary>The SQL behind the Pipeline page (synchronous: Hangfire renders dashboard pages synchronously).</summary>
public sealed class PipelineQueries(NpgsqlDataSource dataSource)
{
    public const int RunLimit = 50;

    public PipelineSnapshot Read()
    {
        using var conn = dataSource.OpenConnection();
        var datasets = conn.Query<PipelineSnapshot.DatasetRow>("""
            SELECT d.id, d.name, d.status,
                   count(u.unit) FILTER (WHERE u.status = 'finished') AS units_finished,
                   count(u.unit) AS units,
                   coalesce(sum(u.rows), 0)::bigint AS rows
            FROM npedit.datasets d LEFT JOIN npedit.dataset_units u ON u.dataset_id = d.id
            GROUP BY d.id ORDER BY d.id DESC LIMIT 20
            """).AsList();
        // The newest step and each loss's newest value, straight from the metrics table the trainers write.
        var runs = conn.Query<PipelineSnapshot.RunRow>($"""
            SELECT r.id, e.name AS experiment, r.name, r.kind, r.status, r.job_id,
                   (SELECT max(step) FROM npedit.metrics m WHERE m.run_id = r.id) AS step,
                   coalesce((SELECT string_agg(key || ' ' || to_char(value, 'FM9990.0000'), ' · ' ORDER BY key)
                             FROM (SELECT DISTINCT ON (key) key, value FROM npedit.metrics m
                                   WHERE m.run_id = r.id AND key LIKE 'loss%' ORDER BY key, step DESC) l), '') AS losses,
                   coalesce((SELECT string_agg(replace(key, 'bench/', '') || ' ' || to_char(value, 'FM990.000'), ' · ' ORDER BY key)
                             FROM npedit.metrics m WHERE m.run_id = r.id
                               AND key IN ('bench/edit_success', 'bench/preservation', 'bench/realism')
                               AND step = (SELECT max(step) FROM npedit.metrics b WHERE b.run_id = r.id AND b.key = m.key)), '') AS bench,
                   r.started_at, r.error
            FROM npedit.runs r JOIN npedit.experiments e ON e.id = r.experiment_id
            ORDER BY (r.status = 'running') DESC, r.created_at DESC LIMIT {RunLimit}
            """).AsList();
        var grids = conn.Query<PipelineSnapshot.GridRow>("""
            SELECT g.id, g.name, count(r.id) AS runs,
                   count(r.id) FILTER (WHERE r.status = 'finished') AS finished,
                   count(r.id) FILTER (WHERE r.status = 'failed') AS failed, g.report_path
            FROM npedit.grids g LEFT JOIN npedit.grid_runs gr ON gr.grid_id = g.id LEFT JOIN npedit.runs r ON r.id = gr.run_id
            GROUP BY g.id ORDER BY g.id DESC
            """).AsList();
        var executions = conn.Query<PipelineSnapshot.ExecutionRow>("""
            SELECT job_id, job_type, queue, server_id, outcome, started_at, ended_at
            FROM npedit.job_executions ORDER BY id DESC LIMIT 15
            """).AsList();
        return new PipelineSnapshot(datasets, runs, grids, executions);
    }

    public long RunningRuns()
    {
        using var conn = dataSource.OpenConnection();
        return conn.ExecuteScalar<long>("SELECT count(*) FROM npedit.runs WHERE status = 'running'");
    }

    /// <summary>The report file of a grid, for the page's report links (by id only: no path comes from the request).</summary>
    public string? ReportPath(long gridId)
    {
        using var conn = dataSource.OpenConnection();
        return conn.ExecuteScalar<string?>("SELECT report_path FROM npedit.grids WHERE id = @gridId", new { gridId });
    }
}
