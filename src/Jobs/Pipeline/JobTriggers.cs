using Dapper;
using Npgsql;

namespace NpEdit.Jobs.Pipeline;

/// <summary>
/// Enqueue-once keys in <c>npedit.job_triggers</c>: the open-source stand-in for Hangfire Pro's batch continuations.
/// The key row and the enqueue happen in one transaction, so concurrent callers (the last two units of a dataset
/// finishing together) produce exactly one job; a caller that fails before committing leaves the key free.
/// </summary>
public sealed class JobTriggers(NpgsqlDataSource dataSource)
{
    /// <summary>Runs <paramref name="enqueue"/> if the key is new and returns its job id; null when it already fired.</summary>
    public async Task<string?> EnqueueOnceAsync(string key, Func<string> enqueue, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // A concurrent inserter of the same key blocks here until we commit, then sees the row and does nothing.
        var fresh = await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "INSERT INTO npedit.job_triggers (key, job_id) VALUES (@key, '') ON CONFLICT (key) DO NOTHING RETURNING key",
            new { key }, tx, cancellationToken: ct));
        if (fresh is null)
            return null;
        var jobId = enqueue();
        await conn.ExecuteAsync(new CommandDefinition(
            "UPDATE npedit.job_triggers SET job_id = @jobId WHERE key = @key", new { key, jobId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return jobId;
    }

    public async Task<string?> JobIdAsync(string key, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return await conn.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT job_id FROM npedit.job_triggers WHERE key = @key", new { key }, cancellationToken: ct));
    }
}
