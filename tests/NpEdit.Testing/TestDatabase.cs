using Npgsql;
using NpEdit.Core.Database;

namespace NpEdit.Testing;

/// <summary>
/// A fresh, migrated database for one test class on the real PostgreSQL the platform uses
/// (the embedded cluster, or <c>NPEDIT_DB</c>'s server). Dropped when the class is done.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    private readonly EmptyDatabase _database = new();

    public string ConnectionString => _database.ConnectionString;
    public NpgsqlDataSource DataSource { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        DataSource = await NpEditDatabase.OpenAsync(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (DataSource is not null)
            await DataSource.DisposeAsync();
        await _database.DisposeAsync();
    }
}
