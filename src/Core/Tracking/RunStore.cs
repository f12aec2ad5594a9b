using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace NpEdit.Core.Tracking;

/// <summary>Experiments, runs, their flattened params and tags in PostgreSQL.</summary>
public sealed class RunStore(NpgsqlDataSource dataSource)
{
    /// <summary>The experiment's id, creating it on first use.</summary>
    public async Task<long> EnsureExperimentAsync(string name, string? description = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO npedit.experiments (name, description) VALUES (@name, @description)
            ON CONFLICT (name) DO UPDATE SET description = coalesce(EXCLUDED.description, npedit.experiments.description)
            RETURNING id
            """, new { name, description }, cancellationToken: ct));
    }

    /// <summary>
    /// The run for this experiment and config: created (with params and tags) if new, otherwise the existing
    /// one, so resubmitting a config inserts nothing.
    /// </summary>
    public async Task<(RunRecord Run, bool Created)> CreateOrGetAsync(NewRun run, CancellationToken ct = default)
    {
        var experimentId = await EnsureExperimentAsync(run.Experiment, ct: ct);
        var hash = CanonicalJson.Hash(run.Config);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var id = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition("""
            INSERT INTO npedit.runs (id, experiment_id, name, kind, config, config_hash, git_sha, host, device, job_id)
            VALUES (@id, @experimentId, @Name, @Kind, @config::jsonb, @hash, @GitSha, @host, @Device, @JobId)
            ON CONFLICT (experiment_id, config_hash) DO NOTHING
            RETURNING id
            """, new
        {
            id = Guid.CreateVersion7(),
            experimentId,
            run.Name,
            run.Kind,
            config = CanonicalJson.Serialize(run.Config),
            hash,
            run.GitSha,
            host = Environment.MachineName,
            run.Device,
            run.JobId,
        }, tx, cancellationToken: ct));

        var created = id is not null;
        if (created)
        {
            var flat = CanonicalJson.Flatten(run.Config);
            await conn.ExecuteAsync(new CommandDefinition(
                "INSERT INTO npedit.run_params (run_id, key, value) SELECT @id, k, v FROM unnest(@keys, @values) AS t(k, v)",
                new { id, keys = flat.Keys.ToArray(), values = flat.Values.ToArray() }, tx, cancellationToken: ct));
            foreach (var (key, value) in run.Tags)
                await SetTagAsync(conn, tx, id!.Value, key, value, ct);
        }
        else
        {
            id = await conn.ExecuteScalarAsync<Guid>(new CommandDefinition(
                "SELECT id FROM npedit.runs WHERE experiment_id = @experimentId AND config_hash = @hash",
                new { experimentId, hash }, tx, cancellationToken: ct));
        }
        await tx.CommitAsync(ct);
        return ((await GetAsync(id!.Value, ct))!, created);
    }

    public async Task<RunRecord?> GetAsync(Guid id, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<RunRecord>(new CommandDefinition(
            $"{SelectRuns} WHERE id = @id", new { id }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<RunRecord>> ListAsync(string experiment, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<RunRecord>(new CommandDefinition(
            $"{SelectRuns} WHERE experiment_id = (SELECT id FROM npedit.experiments WHERE name = @experiment) ORDER BY created_at, id",
            new { experiment }, cancellationToken: ct))).ToList();
    }

    /// <summary>Moves a run to <paramref name="status"/>, stamping start and end times.</summary>
    public async Task SetStatusAsync(Guid id, RunStatus status, string? error = null, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE npedit.runs SET
                status = @status,
                error = @error,
                started_at = CASE WHEN @status = 'running' THEN coalesce(started_at, now()) ELSE started_at END,
                ended_at = CASE WHEN @status IN ('finished', 'failed', 'cancelled') THEN now()
                                WHEN @status = 'running' THEN NULL ELSE ended_at END
            WHERE id = @id
            """, new { id, status = status.ToString().ToLowerInvariant(), error }, cancellationToken: ct));
        if (rows == 0)
            throw new KeyNotFoundException($"Run {id} does not exist.");
    }

    public async Task SetTagAsync(Guid runId, string key, string value, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await SetTagAsync(conn, null, runId, key, value, ct);
    }

    public async Task<IReadOnlyDictionary<string, string>> ParamsAsync(Guid runId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Key, string Value)>(new CommandDefinition(
            "SELECT key, value FROM npedit.run_params WHERE run_id = @runId ORDER BY key", new { runId }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Key, r => r.Value);
    }

    public async Task<IReadOnlyDictionary<string, string>> TagsAsync(Guid runId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string Key, string Value)>(new CommandDefinition(
            "SELECT key, value FROM npedit.run_tags WHERE run_id = @runId ORDER BY key", new { runId }, cancellationToken: ct));
        return rows.ToDictionary(r => r.Key, r => r.Value);
    }

    /// <summary>The stored config of a run, parsed.</summary>
    public static JsonObject ConfigOf(RunRecord run) => JsonNode.Parse(run.Config)!.AsObject();

    private static Task SetTagAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid runId, string key, string value, CancellationToken ct) =>
        conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO npedit.run_tags (run_id, key, value) VALUES (@runId, @key, @value)
            ON CONFLICT (run_id, key) DO UPDATE SET value = EXCLUDED.value
            """, new { runId, key, value }, tx, cancellationToken: ct));

    private const string SelectRuns = """
        SELECT id, experiment_id, name, kind, status, config::text AS config, config_hash, git_sha, host, device,
               job_id, error, created_at, started_at, ended_at
        FROM npedit.runs
        """;
}
