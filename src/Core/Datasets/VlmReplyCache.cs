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

    public async Task<long> CountAsync(CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM npedit.vlm_replies", cancellationToken: ct));
    }
}
