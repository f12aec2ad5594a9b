using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace NpEdit.DatasetBuilder.Manifest;

/// <summary>
/// The dataset manifest in PostgreSQL: datasets, their units (one shard each), per-request accounting, rejected
/// replies, skipped inputs and claimed row ids. A unit's accounting is replaced as a whole when it finishes, so a
/// rerun of a crashed unit never counts anything twice.
/// </summary>
public sealed class DatasetStore(NpgsqlDataSource dataSource)
{
    /// <summary>Creates the dataset with its units, or returns the existing one when name and config identity match.</summary>
    /// <exception cref="ArgumentException">A dataset of that name exists with another config.</exception>
    public async Task<long> CreateOrResumeAsync(string name, string configJson, string configHash, string outputDir,
        IReadOnlyList<string> unitInputs, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Two processes preparing the same name: the second waits and then resumes.
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtextextended(@name, 7))", new { name }, tx, cancellationToken: ct));
        var existing = await conn.QuerySingleOrDefaultAsync<DatasetRecord>(new CommandDefinition(
            "SELECT id, name, config::text AS config, config_hash, output_dir, status, coalesce(units, 0) AS units FROM npedit.datasets WHERE name = @name",
            new { name }, tx, cancellationToken: ct));
        if (existing is not null)
        {
            if (existing.ConfigHash != configHash)
                throw new ArgumentException(
                    $"Dataset '{name}' already exists (id {existing.Id}) with a different config; resuming would mix two datasets. " +
                    "Build under another name, or pass the same config to resume it.");
            await tx.CommitAsync(ct);
            return existing.Id;
        }
        var id = await conn.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO npedit.datasets (name, config, config_hash, output_dir, units)
            VALUES (@name, @configJson::jsonb, @configHash, @outputDir, @units) RETURNING id
            """, new { name, configJson, configHash, outputDir, units = unitInputs.Count }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO npedit.dataset_units (dataset_id, unit, input)
            SELECT @id, u - 1, i FROM unnest(@inputs) WITH ORDINALITY AS t(i, u)
            """, new { id, inputs = unitInputs.ToArray() }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>Replaces the stored config (same identity, new endpoint settings) so workers read this run's endpoints.</summary>
    public async Task UpdateConfigAsync(long datasetId, string configJson, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE npedit.datasets SET config = @configJson::jsonb WHERE id = @datasetId", new { datasetId, configJson }, cancellationToken: ct));
    }

    public async Task<DatasetRecord> GetDatasetAsync(long id, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<DatasetRecord>(new CommandDefinition(
                   "SELECT id, name, config::text AS config, config_hash, output_dir, status, coalesce(units, 0) AS units FROM npedit.datasets WHERE id = @id",
                   new { id }, cancellationToken: ct))
               ?? throw new ArgumentException($"No dataset with id {id}; 'npedit dataset status' lists the datasets.");
    }

    public async Task<long?> FindAsync(string name, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM npedit.datasets WHERE name = @name", new { name }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<UnitRecord>> GetUnitsAsync(long datasetId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<UnitRecord>(new CommandDefinition(
            "SELECT dataset_id, unit, input, status, shard_path, rows, bytes, sha256 FROM npedit.dataset_units WHERE dataset_id = @datasetId ORDER BY unit",
            new { datasetId }, cancellationToken: ct))).ToList();
    }

    public async Task MarkRunningAsync(long datasetId, int unit, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE npedit.dataset_units SET status = 'running', started_at = now(), error = NULL, updated_at = now()
            WHERE dataset_id = @datasetId AND unit = @unit
            """, new { datasetId, unit }, cancellationToken: ct));
    }

    public async Task MarkFailedAsync(long datasetId, int unit, string error, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE npedit.dataset_units SET status = 'failed', error = @error, updated_at = now()
            WHERE dataset_id = @datasetId AND unit = @unit AND status <> 'finished'
            """, new { datasetId, unit, error }, cancellationToken: ct));
    }

    /// <summary>
    /// Claims row ids for a unit; returns the ids another unit already holds (exact duplicates to drop). Ids this
    /// unit claimed on an earlier, interrupted run stay its own.
    /// </summary>
    public async Task<HashSet<string>> ClaimRowsAsync(long datasetId, int unit, IReadOnlyList<(string Id, string Key)> rows, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var owners = await conn.QueryAsync<(string RowId, int Unit)>(new CommandDefinition("""
            WITH claimed AS (
                INSERT INTO npedit.dataset_rows (dataset_id, row_id, unit, instruction_key)
                SELECT @datasetId, r, @unit, k FROM unnest(@ids, @keys) AS t(r, k)
                ON CONFLICT (dataset_id, row_id) DO NOTHING
                RETURNING row_id)
            SELECT row_id, unit FROM npedit.dataset_rows
            WHERE dataset_id = @datasetId AND row_id = ANY(@ids) AND row_id NOT IN (SELECT row_id FROM claimed)
            """, new { datasetId, unit, ids = rows.Select(r => r.Id).ToArray(), keys = rows.Select(r => r.Key).ToArray() }, cancellationToken: ct));
        return owners.Where(o => o.Unit != unit).Select(o => o.RowId).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Records a finished unit and replaces its accounting, in one transaction.</summary>
    public async Task FinishUnitAsync(long datasetId, int unit, UnitResult result, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var key = new { datasetId, unit };
        foreach (var table in new[] { "vlm_calls", "dataset_rejects", "dataset_skips" })
            await conn.ExecuteAsync(new CommandDefinition($"DELETE FROM npedit.{table} WHERE dataset_id = @datasetId AND unit = @unit", key, tx, cancellationToken: ct));
        await CopyCallsAsync(conn, datasetId, unit, result.Calls, ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO npedit.dataset_rejects (dataset_id, unit, source_id, prompt, reason, raw_reply)
            SELECT @datasetId, @unit, s, p, r, raw FROM unnest(@sources, @prompts, @reasons, @raws) AS t(s, p, r, raw)
            """, new
        {
            datasetId, unit,
            sources = result.Rejects.Select(r => r.SourceId).ToArray(),
            prompts = result.Rejects.Select(r => r.Prompt).ToArray(),
            reasons = result.Rejects.Select(r => r.Reason).ToArray(),
            raws = result.Rejects.Select(r => r.RawReply).ToArray(),
        }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO npedit.dataset_skips (dataset_id, unit, source_id, reason)
            SELECT @datasetId, @unit, s, r FROM unnest(@sources, @reasons) AS t(s, r) ON CONFLICT DO NOTHING
            """, new
        {
            datasetId, unit,
            sources = result.Skipped.Select(s => s.SourceId).ToArray(),
            reasons = result.Skipped.Select(s => s.Reason).ToArray(),
        }, tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE npedit.dataset_units SET status = 'finished', shard_path = @path, rows = @rows, bytes = @bytes, sha256 = @sha,
                images_in = @imagesIn, images_skipped = @skipped, skipped_reasons = @reasons::jsonb, type_counts = @types::jsonb,
                duplicates = @duplicates, invalid_instructions = @invalid, not_prominent_images = @notProminent,
                error = NULL, finished_at = now(), updated_at = now()
            WHERE dataset_id = @datasetId AND unit = @unit
            """, new
        {
            datasetId, unit, path = result.Shard.Path, rows = result.Shard.Rows, bytes = result.Shard.Bytes, sha = result.Shard.Sha256,
            imagesIn = result.ImagesIn, skipped = result.Skipped.Count,
            reasons = JsonSerializer.Serialize(result.Skipped.GroupBy(s => ReasonKind(s.Reason)).ToDictionary(g => g.Key, g => g.Count())),
            types = JsonSerializer.Serialize(result.TypeCounts), duplicates = result.Duplicates,
            invalid = result.InvalidInstructions, notProminent = result.NotProminentImages,
        }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>Marks the dataset finished with its duplicate statistics, once every unit is.</summary>
    public async Task<bool> TryFinishDatasetAsync(long datasetId, int exactDuplicates, double nearDuplicateRate, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteAsync(new CommandDefinition("""
            UPDATE npedit.datasets SET status = 'finished', finished_at = coalesce(finished_at, now()),
                exact_duplicates = @exactDuplicates, near_duplicate_rate = @nearDuplicateRate
            WHERE id = @datasetId AND NOT EXISTS (
                SELECT 1 FROM npedit.dataset_units WHERE dataset_id = @datasetId AND status <> 'finished')
            """, new { datasetId, exactDuplicates, nearDuplicateRate }, cancellationToken: ct)) == 1;
    }

    /// <summary>Every dataset, newest first: id, name, status, units, created_at.</summary>
    public async Task<IReadOnlyList<(long Id, string Name, string Status, int Units, DateTime CreatedAt)>> ListAsync(CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<(long, string, string, int, DateTime)>(new CommandDefinition(
            "SELECT id, name, status, coalesce(units, 0), created_at FROM npedit.datasets ORDER BY id DESC", cancellationToken: ct))).ToList();
    }

    /// <summary>The most recent rejected replies, raw text included.</summary>
    public async Task<IReadOnlyList<Pipeline.ParseReject>> RejectsAsync(long datasetId, int limit, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<(string SourceId, string Prompt, string Reason, string RawReply)>(new CommandDefinition(
                "SELECT source_id, prompt, reason, raw_reply FROM npedit.dataset_rejects WHERE dataset_id = @datasetId ORDER BY id DESC LIMIT @limit",
                new { datasetId, limit }, cancellationToken: ct)))
            .Select(r => new Pipeline.ParseReject(r.SourceId, r.Prompt, r.Reason, r.RawReply)).ToList();
    }

    /// <summary>Rows dropped as exact duplicates, over all units.</summary>
    public async Task<int> ExactDuplicatesAsync(long datasetId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT coalesce(sum(duplicates), 0)::int FROM npedit.dataset_units WHERE dataset_id = @datasetId", new { datasetId }, cancellationToken: ct));
    }

    /// <summary>The instruction keys of the rows that made it into shards (claimed and not dropped).</summary>
    public async Task<List<string>> InstructionKeysAsync(long datasetId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<string>(new CommandDefinition(
            "SELECT instruction_key FROM npedit.dataset_rows WHERE dataset_id = @datasetId", new { datasetId }, cancellationToken: ct))).ToList();
    }

    public async Task<DatasetStatus> StatusAsync(long datasetId, CancellationToken ct = default)
    {
        var dataset = await GetDatasetAsync(datasetId, ct);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var units = await conn.QuerySingleAsync<(int Total, int Finished, int Failed, long Rows, long Bytes, long ImagesIn, long Skipped, long Invalid, long NotProminent)>(new CommandDefinition("""
            SELECT count(*)::int, count(*) FILTER (WHERE status = 'finished')::int, count(*) FILTER (WHERE status = 'failed')::int,
                   coalesce(sum(rows), 0)::bigint, coalesce(sum(bytes), 0)::bigint, coalesce(sum(images_in), 0)::bigint,
                   coalesce(sum(images_skipped), 0)::bigint, coalesce(sum(invalid_instructions), 0)::bigint,
                   coalesce(sum(not_prominent_images), 0)::bigint
            FROM npedit.dataset_units WHERE dataset_id = @datasetId
            """, new { datasetId }, cancellationToken: ct));
        var calls = await conn.QuerySingleAsync<(long Requests, long Sent, long Cached, long In, long Out, double Latency)>(new CommandDefinition("""
            SELECT count(*), count(*) FILTER (WHERE NOT from_cache), count(*) FILTER (WHERE from_cache),
                   coalesce(sum(input_tokens), 0)::bigint, coalesce(sum(output_tokens), 0)::bigint,
                   coalesce(avg(latency_ms) FILTER (WHERE NOT from_cache AND outcome = 'ok'), 0)::float8
            FROM npedit.vlm_calls WHERE dataset_id = @datasetId
            """, new { datasetId }, cancellationToken: ct));
        var failures = await Counts(conn, """
            SELECT f.key, sum(f.value::bigint)::bigint FROM npedit.vlm_calls c, jsonb_each_text(c.failures) f
            WHERE c.dataset_id = @datasetId GROUP BY f.key
            """, datasetId, ct);
        var types = await Counts(conn, """
            SELECT t.key, sum(t.value::bigint)::bigint FROM npedit.dataset_units u, jsonb_each_text(u.type_counts) t
            WHERE u.dataset_id = @datasetId GROUP BY t.key
            """, datasetId, ct);
        var skips = await Counts(conn, """
            SELECT s.key, sum(s.value::bigint)::bigint FROM npedit.dataset_units u, jsonb_each_text(u.skipped_reasons) s
            WHERE u.dataset_id = @datasetId GROUP BY s.key
            """, datasetId, ct);
        var (rejects, elapsed, exact, near) = await conn.QuerySingleAsync<(long, double, int?, double?)>(new CommandDefinition("""
            SELECT (SELECT count(*) FROM npedit.dataset_rejects WHERE dataset_id = d.id),
                   extract(epoch FROM coalesce(d.finished_at, now()) - d.created_at)::float8, d.exact_duplicates, d.near_duplicate_rate
            FROM npedit.datasets d WHERE d.id = @datasetId
            """, new { datasetId }, cancellationToken: ct));
        return new DatasetStatus(dataset.Id, dataset.Name, dataset.Status, dataset.OutputDir, units.Total, units.Finished, units.Failed,
            units.Rows, units.Bytes, units.ImagesIn, units.Skipped, calls.Requests, calls.Sent, calls.Cached, calls.In, calls.Out, calls.Latency,
            elapsed, failures, types, skips, rejects, exact, near)
        {
            InvalidInstructions = units.Invalid,
            NotProminentImages = units.NotProminent,
        };
    }

    /// <summary>"image too small (8×8; …)" → "image too small": the reason without its particulars, for counting.</summary>
    public static string ReasonKind(string reason)
    {
        var cut = reason.IndexOfAny(['(', ':']);
        return (cut > 0 ? reason[..cut] : reason).Trim();
    }

    private static async Task<IReadOnlyDictionary<string, long>> Counts(NpgsqlConnection conn, string sql, long datasetId, CancellationToken ct) =>
        (await conn.QueryAsync<(string Key, long Count)>(new CommandDefinition(sql, new { datasetId }, cancellationToken: ct)))
        .ToDictionary(r => r.Key, r => r.Count);

    // One COPY per unit instead of a round trip per request (platform notes §7: COPY is the fast path).
    private static async Task CopyCallsAsync(NpgsqlConnection conn, long datasetId, int unit, IReadOnlyList<Pipeline.VlmCallRecord> calls, CancellationToken ct)
    {
        await using var writer = await conn.BeginBinaryImportAsync("""
            COPY npedit.vlm_calls (dataset_id, unit, request_hash, prompt, endpoint, outcome, attempts, input_tokens, output_tokens,
                                   latency_ms, from_cache, failures) FROM STDIN (FORMAT BINARY)
            """, ct);
        foreach (var call in calls)
        {
            await writer.StartRowAsync(ct);
            await writer.WriteAsync(datasetId, NpgsqlDbType.Bigint, ct);
            await writer.WriteAsync(unit, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(call.RequestHash, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(call.Prompt, NpgsqlDbType.Text, ct);
            if (call.Endpoint is null) await writer.WriteNullAsync(ct);
            else await writer.WriteAsync(call.Endpoint, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(call.Outcome, NpgsqlDbType.Text, ct);
            await writer.WriteAsync(call.Attempts, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(call.InputTokens, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(call.OutputTokens, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(call.LatencyMs, NpgsqlDbType.Integer, ct);
            await writer.WriteAsync(call.FromCache, NpgsqlDbType.Boolean, ct);
            var failures = call.FailedAttempts.GroupBy(FailureName).ToDictionary(g => g.Key, g => g.Count());
            await writer.WriteAsync(JsonSerializer.Serialize(failures), NpgsqlDbType.Jsonb, ct);
        }
        await writer.CompleteAsync(ct);
    }

    /// <summary>snake_case failure kind names, as stored and shown (rate_limited, server_error, timeout, …).</summary>
    public static string FailureName(Vlm.VlmFailureKind kind) =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());
}
