using Hangfire;
using Hangfire.Common;
using Hangfire.PostgreSql;
using Npgsql;
using NpEdit.Jobs.Hosting;
using NpEdit.Testing;

namespace NpEdit.Jobs.Tests.Support;

/// <summary>A fresh migrated database with Hangfire's schema on it, a job client, and a private NPEDIT_HOME for report files.</summary>
public sealed class JobsDatabase : IAsyncLifetime
{
    private readonly TestDatabase _database = new();
    private readonly TempDirectory _home = new("npedit-jobs-home");

    public NpgsqlDataSource DataSource => _database.DataSource;
    public string ConnectionString => _database.ConnectionString;
    public string Home => _home.Path;
    public PostgreSqlStorage Storage { get; private set; } = null!;
    public IBackgroundJobClient Jobs { get; private set; } = null!;

    /// <summary>Environment for an npedit child process on this database.</summary>
    public Dictionary<string, string?> Environment => new() { ["NPEDIT_DB"] = ConnectionString, ["NPEDIT_HOME"] = Home };

    /// <summary>
    /// Hangfire's own global filters (continuations, retries), the ones an npedit process adds to them
    /// (JobsServices.Filters) and the jobs' attributes, for an in-process test server: this test process's global
    /// filters are left alone.
    /// </summary>
    public IJobFilterProvider FilterProvider()
    {
        var filters = new JobFilterCollection();
        foreach (var filter in JobsServices.Filters(DataSource))
            filters.Add(filter);
        return new JobFilterProviderCollection(GlobalJobFilters.Filters, filters, new JobFilterAttributeFilterProvider());
    }

    public async Task InitializeAsync()
    {
        HangfireSerialization.EnsureApplied();
        await _database.InitializeAsync();
        Storage = JobsServices.Storage(DataSource);
        Jobs = new BackgroundJobClient(Storage);
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        _home.Dispose();
    }
}
