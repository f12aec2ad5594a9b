using System.Security.Cryptography;
using Dapper;
using Npgsql;

namespace NpEdit.Core.Tracking;

/// <summary>Files a run produced, recorded with size and sha256 so a report can prove what it shows.</summary>
public sealed class ArtifactStore(NpgsqlDataSource dataSource)
{
    /// <summary>Hashes the file and records (or refreshes) it for the run.</summary>
    public async Task<ArtifactRecord> RecordAsync(Guid runId, string kind, string path, CancellationToken ct = default)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"Artifact '{full}' of run {runId} does not exist; write the file before recording it.", full);
        string sha;
        long bytes;
        await using (var stream = File.OpenRead(full))
        {
            bytes = stream.Length;
            sha = Convert.ToHexString(await SHA256.HashDataAsync(stream, ct)).ToLowerInvariant();
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.QuerySingleAsync<ArtifactRecord>(new CommandDefinition("""
            INSERT INTO npedit.artifacts (run_id, kind, path, sha256, bytes) VALUES (@runId, @kind, @full, @sha, @bytes)
            ON CONFLICT (run_id, path) DO UPDATE SET kind = EXCLUDED.kind, sha256 = EXCLUDED.sha256,
                bytes = EXCLUDED.bytes, created_at = now()
            RETURNING id, run_id, kind, path, sha256, bytes, created_at
            """, new { runId, kind, full, sha, bytes }, cancellationToken: ct));
    }

    public async Task<IReadOnlyList<ArtifactRecord>> ListAsync(Guid runId, string? kind = null, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<ArtifactRecord>(new CommandDefinition("""
            SELECT id, run_id, kind, path, sha256, bytes, created_at FROM npedit.artifacts
            WHERE run_id = @runId AND (@kind::text IS NULL OR kind = @kind) ORDER BY id
            """, new { runId, kind }, cancellationToken: ct))).ToList();
    }
}
