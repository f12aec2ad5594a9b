using System.Net;
using System.Net.Sockets;
using Npgsql;
using NpEdit.Core.Database;
using NpEdit.Testing;

namespace NpEdit.Core.Tests.Database;

/// <summary>Lifecycle of a private cluster in a temp folder (the checkout's shared cluster is left alone).</summary>
public sealed class EmbeddedPostgresFacts : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("npedit-pg");
    private EmbeddedPostgres Cluster => new(Path.Combine(_dir.Path, "pg"));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Cluster.StopAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task EnsureRunningAsync_StartsAQueryableLoopbackCluster_WhenNothingExists()
    {
        var cs = await Cluster.EnsureRunningAsync();

        var info = Cluster.Inspect();
        Assert.True(info.Initialized);
        Assert.True(info.Running);
        var builder = new NpgsqlConnectionStringBuilder(cs);
        Assert.Equal("127.0.0.1", builder.Host);
        Assert.Equal(info.Port, builder.Port);
        Assert.Equal(EmbeddedPostgres.DatabaseName, builder.Database);
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT current_setting('listen_addresses')", conn);
        Assert.Equal("127.0.0.1", await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task EnsureRunningAsync_ReusesTheRunningServer_WhenCalledAgain()
    {
        await Cluster.EnsureRunningAsync();
        var first = Cluster.Inspect();

        var cs = await new EmbeddedPostgres(Cluster.ClusterDirectory).EnsureRunningAsync();

        var second = Cluster.Inspect();
        Assert.Equal(first.ProcessId, second.ProcessId);
        Assert.Equal(first.Port, second.Port);
        Assert.Equal(first.Port, new NpgsqlConnectionStringBuilder(cs).Port);
    }

    [Fact]
    public async Task EnsureRunningAsync_EndsWithOneServer_WhenManyCallersStartAtOnce()
    {
        var starts = Enumerable.Range(0, 4)
            .Select(_ => Task.Run(() => new EmbeddedPostgres(Cluster.ClusterDirectory).EnsureRunningAsync()));

        var connectionStrings = await Task.WhenAll(starts);

        Assert.Single(connectionStrings.Distinct());
        var info = Cluster.Inspect();
        Assert.True(info.Running);
        var postmasters = Directory.GetDirectories("/proc")
            .Select(d => Path.GetFileName(d))
            .Where(n => int.TryParse(n, out _))
            .Count(pid => IsPostmasterOf(pid, info.DataDirectory));
        Assert.Equal(1, postmasters);
    }

    [Fact]
    public async Task EnsureRunningAsync_MovesToAFreePort_WhenTheRecordedPortIsTaken()
    {
        await Cluster.EnsureRunningAsync();
        var oldPort = Cluster.Inspect().Port!.Value;
        await Cluster.StopAsync();
        using var squatter = new TcpListener(IPAddress.Loopback, oldPort);
        squatter.Start();

        var cs = await Cluster.EnsureRunningAsync();

        var newPort = new NpgsqlConnectionStringBuilder(cs).Port;
        Assert.NotEqual(oldPort, newPort);
        Assert.Equal(newPort, Cluster.Inspect().Port);
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync();
    }

    [Fact]
    public async Task EnsureRunningAsync_Starts_WhenAStalePidFilePointsAtAnotherProcess()
    {
        await Cluster.EnsureRunningAsync();
        await Cluster.StopAsync();
        var pidFile = Path.Combine(Cluster.DataDirectory, "postmaster.pid");
        // pid 1 is alive but is not this cluster's postmaster: what a reboot or container restart leaves behind.
        await File.WriteAllTextAsync(pidFile, $"1\n{Cluster.DataDirectory}\n0\n5432\n\n127.0.0.1\n0 0\nready\n");
        if (PostgresProcessIsRoot())
            await HandToPostgresAsync(pidFile);

        await Cluster.EnsureRunningAsync();

        var info = Cluster.Inspect();
        Assert.True(info.Running);
        Assert.NotEqual(1, info.ProcessId);
    }

    [Fact]
    public async Task EnsureRunningAsync_WaitsUntilAServerThatIsStillStartingUp_OpensSessions()
    {
        await Cluster.EnsureRunningAsync();
        var port = Cluster.Inspect().Port!.Value;
        await Cluster.StopAsync();
        // Another process's start that is still in recovery: the postmaster listens but refuses sessions (57P03).
        // A standby with hot standby off holds that state until it is promoted, so the race is not left to timing.
        var data = Cluster.DataDirectory;
        var signal = Path.Combine(data, "standby.signal");
        await File.WriteAllTextAsync(signal, "");
        if (PostgresProcessIsRoot())
            await HandToPostgresAsync(signal);
        var pgCtl = PostgresBinaries.Locate().PgCtl;
        var (started, output) = await PostgresProcess.RunAsync(pgCtl,
            ["start", "-D", data, "-l", Cluster.ServerLog, "-o", $"-p {port} -c hot_standby=off"], CancellationToken.None);
        Assert.True(started == 0, output);
        await WaitUntilListeningAsync(port);

        var ensure = Cluster.EnsureRunningAsync();
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.False(ensure.IsCompleted, "EnsureRunningAsync returned while the server still refused sessions");
        var (promoted, promoteOutput) = await PostgresProcess.RunAsync(pgCtl, ["promote", "-D", data, "-w"], CancellationToken.None);
        Assert.True(promoted == 0, promoteOutput);

        await using var conn = new NpgsqlConnection(await ensure);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT pg_is_in_recovery()", conn);
        Assert.Equal(false, await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task StopAsync_StopsTheServer_AndReportsNothingToStopAfterwards()
    {
        await Cluster.EnsureRunningAsync();

        Assert.True(await Cluster.StopAsync());

        Assert.False(Cluster.Inspect().Running);
        Assert.False(await Cluster.StopAsync());
    }

    [Fact]
    public void Locate_NamesBothFixes_WhenPostgresIsNotInstalled()
    {
        var error = Assert.Throws<DatabaseSetupException>(() => PostgresBinaries.Locate([_dir.Path]));

        Assert.Contains("install PostgreSQL", error.Message);
        Assert.Contains("NPEDIT_DB", error.Message);
    }

    private static bool IsPostmasterOf(string pid, string dataDirectory)
    {
        try
        {
            var cmd = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            // The postmaster is the process started as '.../postgres -D <data>'; its children rename themselves.
            return cmd.Length > 0 && cmd[0].EndsWith("/postgres", StringComparison.Ordinal) && cmd.Contains(dataDirectory);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static async Task WaitUntilListeningAsync(int port)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }

    private static bool PostgresProcessIsRoot() => Environment.UserName == "root";

    private static async Task HandToPostgresAsync(string path)
    {
        using var chown = System.Diagnostics.Process.Start("chown", ["postgres:", path]);
        await chown.WaitForExitAsync();
    }
}
