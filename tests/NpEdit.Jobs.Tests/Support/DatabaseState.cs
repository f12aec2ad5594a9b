using Dapper;
using Npgsql;

namespace NpEdit.Jobs.Tests.Support;

/// <summary>
/// Every row of the npedit tables and the number of Hangfire jobs, as text, for "running it twice leaves the same
/// state" checks. Timestamps are left out (a rerun may refresh them) and so is the execution log, which records
/// each run by design.
/// </summary>
internal static class DatabaseState
{
    public static async Task<string> CaptureAsync(NpgsqlDataSource dataSource)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        var tables = (await conn.QueryAsync<string>("""
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = 'npedit' AND table_name NOT IN ('job_executions', 'schema_migrations') ORDER BY table_name
            """)).AsList();
        var state = new List<string>();
        foreach (var table in tables)
        {
            var rows = await conn.QueryAsync<string>($"""
                SELECT (to_jsonb(t) - ARRAY(SELECT column_name::text FROM information_schema.columns
                                             WHERE table_schema = 'npedit' AND table_name = '{table}'
                                               AND data_type LIKE 'timestamp%'))::text AS row
                FROM npedit.{table} t ORDER BY 1
                """);
            state.Add($"{table}: {string.Join("\n  ", rows)}");
        }
        state.Add($"hangfire jobs: {await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM hangfire.job")}");
        return string.Join("\n", state);
    }
}
