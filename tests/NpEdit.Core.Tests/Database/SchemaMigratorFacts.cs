using Dapper;
using Npgsql;
using NpEdit.Core.Database;
using NpEdit.Testing;

namespace NpEdit.Core.Tests.Database;

public sealed class SchemaMigratorFacts : IAsyncLifetime
{
    private readonly EmptyDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task MigrateAsync_AppliesEveryEmbeddedFile_WhenDatabaseIsFresh()
    {
        await using var ds = NpgsqlDataSource.Create(_db.ConnectionString);
        var migrator = new SchemaMigrator(ds);
        Assert.Equal(0, await migrator.CurrentVersionAsync());

        var applied = await migrator.MigrateAsync();

        var expected = Migration.Embedded().Select(m => m.Version).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, applied);
        Assert.Equal(migrator.LatestVersion, await migrator.CurrentVersionAsync());
        await using var conn = await ds.OpenConnectionAsync();
        var tables = (await conn.QueryAsync<string>(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'npedit' ORDER BY 1")).ToList();
        Assert.Superset(new HashSet<string> { "experiments", "runs", "run_params", "run_tags", "metrics", "artifacts", "schema_migrations" },
            tables.ToHashSet());
        var checksums = (await conn.QueryAsync<string>("SELECT sha256 FROM npedit.schema_migrations ORDER BY version")).ToList();
        Assert.Equal(Migration.Embedded().Select(m => m.Checksum), checksums);
    }

    [Fact]
    public async Task MigrateAsync_IsANoOp_WhenRerun()
    {
        await using var ds = NpgsqlDataSource.Create(_db.ConnectionString);
        await new SchemaMigrator(ds).MigrateAsync();
        await using var conn = await ds.OpenConnectionAsync();
        var appliedAt = (await conn.QueryAsync<DateTime>("SELECT applied_at FROM npedit.schema_migrations ORDER BY version")).ToList();

        var second = await new SchemaMigrator(ds).MigrateAsync();

        Assert.Empty(second);
        Assert.Equal(appliedAt, await conn.QueryAsync<DateTime>("SELECT applied_at FROM npedit.schema_migrations ORDER BY version"));
    }

    [Fact]
    public async Task MigrateAsync_AppliesEachFileOnce_WhenRunnersRace()
    {
        var sources = Enumerable.Range(0, 4).Select(_ => NpgsqlDataSource.Create(_db.ConnectionString)).ToList();
        try
        {
            var results = await Task.WhenAll(sources.Select(ds => Task.Run(() => new SchemaMigrator(ds).MigrateAsync())));

            var all = results.SelectMany(r => r).ToList();
            Assert.Equal(Migration.Embedded().Select(m => m.Version).Order(), all.Order());
            await using var conn = await sources[0].OpenConnectionAsync();
            Assert.Equal(Migration.Embedded().Count, await conn.ExecuteScalarAsync<int>("SELECT count(*) FROM npedit.schema_migrations"));
        }
        finally
        {
            foreach (var ds in sources)
                await ds.DisposeAsync();
        }
    }

    [Fact]
    public async Task MigrateAsync_RefusesAndNamesTheFile_WhenAnAppliedFileWasEdited()
    {
        await using var ds = NpgsqlDataSource.Create(_db.ConnectionString);
        var original = Migration.Embedded();
        await new SchemaMigrator(ds, original).MigrateAsync();
        var edited = original.Select((m, i) => i == 0 ? m with { Sql = m.Sql + "\n-- sneaky edit\n" } : m).ToList();

        var error = await Assert.ThrowsAsync<DatabaseSetupException>(() => new SchemaMigrator(ds, edited).MigrateAsync());

        Assert.Contains(original[0].FileName, error.Message);
        Assert.Contains("new sql/NNN_*.sql", error.Message);
    }

    [Fact]
    public async Task MigrateAsync_AppliesOnlyTheNewFile_WhenAFileIsAdded()
    {
        await using var ds = NpgsqlDataSource.Create(_db.ConnectionString);
        await new SchemaMigrator(ds).MigrateAsync();
        var next = Migration.Embedded()[^1].Version + 1;
        var extended = Migration.Embedded().Append(Migration.Parse($"{next:D3}_extra_table.sql",
            "CREATE TABLE npedit.extra (id int PRIMARY KEY);")).ToList();

        var applied = await new SchemaMigrator(ds, extended).MigrateAsync();

        Assert.Equal([next], applied);
        await using var conn = await ds.OpenConnectionAsync();
        Assert.True(await conn.ExecuteScalarAsync<bool>("SELECT to_regclass('npedit.extra') IS NOT NULL"));
    }

    [Fact]
    public async Task MigrateAsync_RollsBackAndNamesTheFile_WhenAFileFails()
    {
        await using var ds = NpgsqlDataSource.Create(_db.ConnectionString);
        await new SchemaMigrator(ds).MigrateAsync();
        var next = Migration.Embedded()[^1].Version + 1;
        var broken = Migration.Embedded().Append(Migration.Parse($"{next:D3}_broken.sql",
            "CREATE TABLE npedit.half (id int); SELECT * FROM npedit.no_such_table;")).ToList();

        var error = await Assert.ThrowsAsync<DatabaseSetupException>(() => new SchemaMigrator(ds, broken).MigrateAsync());

        Assert.Contains($"{next:D3}_broken.sql", error.Message);
        await using var conn = await ds.OpenConnectionAsync();
        Assert.False(await conn.ExecuteScalarAsync<bool>("SELECT to_regclass('npedit.half') IS NOT NULL"));
        Assert.Equal(Migration.Embedded()[^1].Version, await new SchemaMigrator(ds).CurrentVersionAsync());
    }

    [Fact]
    public void Parse_Rejects_WhenFileNameHasNoVersion()
    {
        var error = Assert.Throws<DatabaseSetupException>(() => Migration.Parse("tracking.sql", "SELECT 1"));
        Assert.Contains("NNN_lower_snake_name.sql", error.Message);
    }
}
