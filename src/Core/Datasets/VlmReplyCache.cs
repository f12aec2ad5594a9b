using Dapper;
using Npgsql;

namespace NpEdit.Core.Datasets;

/// <summary>
/// Request hash → completed reply, in PostgreSQL. A crashed or cancelled build loses at most the requests in
/// flight; a rerun finds every finished one here and never pays for it twice.
/// </summary>
public sealed class VlmReplyCache(NpgsqlDataSource dataSource)
{
    public async Task<CachedVlmReply?> TryGetAsync(string requestHash, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleOrDefaultAsync<CachedVlmReply>(new CommandDefinition("""
            SELECT request_hash, model, endpoint, reply, input_tokens, output_tokens, latency_ms
            FROM npedit.vlm_replies WHERE request_hash = @requestHash
            """, new { requestHash }, cancellationToken: ct));
    }

    /// <summary>Stores a reply; the first reply for a hash wins (a concurrent duplicate is ignored).</summary>
    public async Task PutAsync(CachedVlmReply reply, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO npedit.vlm_replies (request_hash, model, endpoint, reply, input_tokens, output_tokens, latency_ms)
            VALUES (@RequestHash, @Model, @Endpoint, @Reply, @InputTokens, @OutputTokens, @LatencyMs)
            ON CONFLICT (request_hash) DO NOTHING
            """, reply, cancellationToken: ct));
    }

    /// <summary>The cached replies among <paramref name="requestHashes"/>, in one round trip.</summary>
    public async Task<IReadOnlyDictionary<string, CachedVlmReply>> TryGetManyAsync(IReadOnlyCollection<string> requestHashes, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var found = await conn.QueryAsync<CachedVlmReply>(new CommandDefinition("""
            SELECT request_hash, model, endpoint, reply, input_tokens, output_tokens, latency_ms
            FROM npedit.vlm_replies WHERE request_hash = ANY(@hashes)
            """, new { hashes = requestHashes.ToArray() }, cancellationToken: ct));
        return found.ToDictionary(r => r.RequestHash, StringComparer.Ordinal);
    }

    /// <summary>
    /// Stores replies in one statement, so a crash stores all of them or none; the first reply for a hash wins
    /// (a stored one, or the first of the list).
    /// </summary>
    public async Task PutManyAsync(IReadOnlyList<CachedVlmReply> replies, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO npedit.vlm_replies (request_hash, model, endpoint, reply, input_tokens, output_tokens, latency_ms)
            SELECT * FROM unnest(@hashes, @models, @endpoints, @texts, @inputs, @outputs, @latencies)
            ON CONFLICT (request_hash) DO NOTHING
            """, new
        {
            hashes = replies.Select(r => r.RequestHash).ToArray(),
            models = replies.Select(r => r.Model).ToArray(),
            endpoints = replies.Select(r => r.Endpoint).ToArray(),
            texts = replies.Select(r => r.Reply).ToArray(),
            inputs = replies.Select(r => r.InputTokens).ToArray(),
            outputs = replies.Select(r => r.OutputTokens).ToArray(),
            latencies = replies.Select(r => r.LatencyMs).ToArray(),
        }, cancellationToken: ct));
    }

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM npedit.vlm_replies", cancellationToken: ct));
    }
}
