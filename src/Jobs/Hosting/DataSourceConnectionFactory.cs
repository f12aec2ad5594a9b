using Hangfire.PostgreSql;
using Npgsql;

namespace NpEdit.Jobs.Hosting;

/// <summary>Hands Hangfire connections from the process's one <see cref="NpgsqlDataSource"/>, so both share a pool.</summary>
public sealed class DataSourceConnectionFactory(NpgsqlDataSource dataSource) : IConnectionFactory
{
    public NpgsqlConnection GetOrCreateConnection() => dataSource.CreateConnection();
}
