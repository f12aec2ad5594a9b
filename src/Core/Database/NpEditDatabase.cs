using Npgsql;

namespace NpEdit.Core.Database;

/// <summary>
/// The one way in to the platform's PostgreSQL: <c>NPEDIT_DB</c> when set (nothing local is started),
/// otherwise the embedded cluster of this checkout. <see cref="OpenAsync"/> also brings the schema up to date.
/// </summary>
public static class NpEditDatabase
{
    public const string ConnectionVariable = "NPEDIT_DB";

    /// <summary>The configured connection string, starting the embedded cluster when needed.</summary>
    public static async Task<string> ResolveConnectionStringAsync(CancellationToken ct = default)
    {
        var configured = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(configured).ConnectionString;
            }
            catch (ArgumentException e)
            {
                throw new DatabaseSetupException(
                    $"{ConnectionVariable} is not a valid Npgsql connection string ({e.Message}). " +
                    "Expected e.g. 'Host=localhost;Port=5432;Username=npedit;Password=...;Database=npedit'.", e);
            }
        }
        return await EmbeddedPostgres.ForCheckout().EnsureRunningAsync(ct);
    }

    /// <summary>Whether the embedded cluster is in use (no <c>NPEDIT_DB</c>).</summary>
    public static bool UsesEmbeddedCluster =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConnectionVariable));

    /// <summary>A data source for <paramref name="connectionString"/> with the schema migrated to the latest version.</summary>
    public static async Task<NpgsqlDataSource> OpenAsync(string connectionString, CancellationToken ct = default)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        try
        {
            await new SchemaMigrator(dataSource).MigrateAsync(ct);
            return dataSource;
        }
        catch (NpgsqlException e)
        {
            await dataSource.DisposeAsync();
            var b = new NpgsqlConnectionStringBuilder(connectionString);
            throw new DatabaseSetupException(
                $"Cannot reach PostgreSQL at {b.Host}:{b.Port} (database '{b.Database}'): {e.Message}. " +
                (UsesEmbeddedCluster ? "Run './npedit db status' to inspect the embedded cluster." : $"Check {ConnectionVariable}."), e);
        }
        catch
        {
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>Resolves the connection and opens a migrated data source.</summary>
    public static async Task<NpgsqlDataSource> OpenAsync(CancellationToken ct = default) =>
        await OpenAsync(await ResolveConnectionStringAsync(ct), ct);
}
