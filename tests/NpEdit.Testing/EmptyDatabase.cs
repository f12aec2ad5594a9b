using Npgsql;
using NpEdit.Core.Database;

namespace NpEdit.Testing;

/// <summary>A fresh database with nothing in it (no migrations), for tests of the migrator itself.</summary>
public sealed class EmptyDatabase : IAsyncLifetime
{
    private string? _adminConnectionString;

    public string Name { get; } = $"npedit_empty_{Guid.NewGuid():N}"[..32];
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _adminConnectionString = await NpEditDatabase.ResolveConnectionStringAsync();
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var create = new NpgsqlCommand($"CREATE DATABASE {Name}", admin);
        await create.ExecuteNonQueryAsync();
        ConnectionString = new NpgsqlConnectionStringBuilder(_adminConnectionString) { Database = Name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_adminConnectionString is null)
            return;
        await using var admin = new NpgsqlConnection(_adminConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Name} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}
