using Hangfire.PostgreSql;
using Npgsql;

namespace NpEdit.Jobs.Hosting;

/// <summary>
/// Hangfire's storage: its own schema (<c>hangfire</c>) on the platform database. The invisibility timeout slides,
/// because a GPU job runs for hours and a fixed timeout would hand it to a second worker (Hangfire.PostgreSql
/// issue #130); the pool is sized for the worker count plus Hangfire's own background processes.
/// </summary>
public static class JobStorageSettings
{
    public const string SchemaName = "hangfire";

    /// <summary>Connections besides one per worker: heartbeat, schedulers, expiration, fetch, dashboard.</summary>
    public const int ExtraConnections = 10;

    public static PostgreSqlStorageOptions StorageOptions(TimeSpan? pollInterval = null) => new()
    {
        SchemaName = SchemaName,
        PrepareSchemaIfNecessary = true,
        UseSlidingInvisibilityTimeout = true,
        InvisibilityTimeout = TimeSpan.FromMinutes(5),
        // A fetch every second keeps chains moving in the demo; the query is one indexed UPDATE … SKIP LOCKED.
        QueuePollInterval = pollInterval ?? TimeSpan.FromSeconds(1),
        DistributedLockTimeout = TimeSpan.FromMinutes(1),
    };

    /// <summary>The connection string with a pool large enough for <paramref name="workers"/> workers.</summary>
    public static string WithPoolFor(string connectionString, int workers)
    {
        var b = new NpgsqlConnectionStringBuilder(connectionString);
        b.MaxPoolSize = Math.Max(b.MaxPoolSize, workers + ExtraConnections);
        return b.ConnectionString;
    }
}
