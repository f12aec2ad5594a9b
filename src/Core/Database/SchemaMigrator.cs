using Dapper;
using Npgsql;

namespace NpEdit.Core.Database;

/// <summary>
/// Applies <c>sql/NNN_name.sql</c> files in order, each in its own transaction together with its row in
/// <c>npedit.schema_migrations</c> (version, name, sha256). A session advisory lock serialises concurrent
/// runners; editing a file that was already applied is refused with the file's name.
/// </summary>
public sealed class SchemaMigrator(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations)
{
    // Any fixed 64-bit key; shared by every npedit process that migrates this database.
    private const long AdvisoryLockKey = 0x4e70456469745f31; // "NpEdit_1"

    public SchemaMigrator(NpgsqlDataSource dataSource) : this(dataSource, Migration.Embedded()) { }

    public int LatestVersion => migrations.Count == 0 ? 0 : migrations[^1].Version;

    /// <summary>Applies what is missing and returns the versions applied by this call.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@k)", new { k = AdvisoryLockKey }, cancellationToken: ct));
        try
        {
            await conn.ExecuteAsync(new CommandDefinition("""
                CREATE SCHEMA IF NOT EXISTS npedit;
                CREATE TABLE IF NOT EXISTS npedit.schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    sha256     text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                """, cancellationToken: ct));
            var applied = (await conn.QueryAsync<AppliedMigration>(new CommandDefinition(
                "SELECT version, name, sha256 FROM npedit.schema_migrations ORDER BY version", cancellationToken: ct)))
                .ToDictionary(a => a.Version);

            Verify(applied);
            var done = new List<int>();
            foreach (var migration in migrations.Where(m => !applied.ContainsKey(m.Version)))
            {
                await using var tx = await conn.BeginTransactionAsync(ct);
                try
                {
                    await conn.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: tx, cancellationToken: ct));
                }
                catch (PostgresException e)
                {
                    throw new DatabaseSetupException(
                        $"Schema file '{migration.FileName}' failed at position {e.Position}: {e.MessageText}. " +
                        "Nothing of it was applied; fix the file and rerun.", e);
                }
                await conn.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO npedit.schema_migrations (version, name, sha256) VALUES (@Version, @Name, @Checksum)",
                    new { migration.Version, migration.Name, migration.Checksum }, tx, cancellationToken: ct));
                await tx.CommitAsync(ct);
                done.Add(migration.Version);
            }
            return done;
        }
        finally
        {
            await conn.ExecuteAsync("SELECT pg_advisory_unlock(@k)", new { k = AdvisoryLockKey });
        }
    }

    /// <summary>The database's current schema version (0 when npedit was never installed).</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var exists = await conn.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT to_regclass('npedit.schema_migrations') IS NOT NULL", cancellationToken: ct));
        if (!exists)
            return 0;
        return await conn.ExecuteScalarAsync<int?>(new CommandDefinition(
            "SELECT max(version) FROM npedit.schema_migrations", cancellationToken: ct)) ?? 0;
    }

    private void Verify(Dictionary<int, AppliedMigration> applied)
    {
        var known = migrations.ToDictionary(m => m.Version);
        foreach (var a in applied.Values)
        {
            if (!known.TryGetValue(a.Version, out var file))
                throw new DatabaseSetupException(
                    $"The database has schema version {a.Version:D3} ('{a.Name}'), which this build does not know; " +
                    "it was migrated by a newer npedit. Update this checkout (git pull) before using that database.");
            if (file.Checksum != a.Sha256)
                throw new DatabaseSetupException(
                    $"Schema file '{file.FileName}' was changed after it was applied (sha256 {a.Sha256[..12]}… in the " +
                    $"database, {file.Checksum[..12]}… on disk). Applied files are immutable: revert the edit and put " +
                    "the change in a new sql/NNN_*.sql file.");
        }
    }

    private sealed record AppliedMigration(int Version, string Name, string Sha256);
}
