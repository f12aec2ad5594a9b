using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Npgsql;

namespace NpEdit.Core.Database;

/// <summary>
/// A private PostgreSQL cluster under <c>.npedit/pg/</c>, started on demand from the machine's binaries and
/// reused by every later process. It listens only on 127.0.0.1 (no Unix socket), on a free port recorded in
/// the cluster folder, with a generated password. Starting is serialised by an exclusive lock file, so two
/// processes starting it at the same moment end with one running cluster.
/// </summary>
public sealed class EmbeddedPostgres
{
    public const string DatabaseName = "npedit";
    public const string UserName = "npedit";

    private static readonly TimeSpan LockWait = TimeSpan.FromMinutes(3);
    private const int PortAttempts = 5;

    private readonly PostgresBinaries? _binaries;

    public EmbeddedPostgres(string clusterDirectory, PostgresBinaries? binaries = null)
    {
        ClusterDirectory = Path.GetFullPath(clusterDirectory);
        _binaries = binaries;
    }

    /// <summary>The cluster of this checkout: <c>.npedit/pg</c>.</summary>
    public static EmbeddedPostgres ForCheckout() => new(Path.Combine(ProjectPaths.StateDirectory(), "pg"));

    public string ClusterDirectory { get; }

    private string PortFile => Path.Combine(ClusterDirectory, "port");
    private string PasswordFile => Path.Combine(ClusterDirectory, "password");
    private string DataLocationFile => Path.Combine(ClusterDirectory, "data-location");
    private string LockFile => Path.Combine(ClusterDirectory, "cluster.lock");
    private PostgresBinaries Binaries => _binaries ?? PostgresBinaries.Locate();

    /// <summary>
    /// The data directory: <c>&lt;cluster&gt;/data</c>, unless (as root) the <c>postgres</c> account cannot reach the
    /// checkout, in which case initdb put it in a private folder under /var/tmp, recorded in <c>data-location</c>.
    /// </summary>
    public string DataDirectory =>
        File.Exists(DataLocationFile) ? File.ReadAllText(DataLocationFile).Trim() : Path.Combine(ClusterDirectory, "data");

    /// <summary>Reads the cluster's state without starting or locking anything.</summary>
    public EmbeddedClusterInfo Inspect()
    {
        var data = DataDirectory;
        var initialized = File.Exists(Path.Combine(data, "PG_VERSION"));
        var pid = LivePostmasterPid(data);
        int? port = pid is not null && File.Exists(PortFile) && int.TryParse(File.ReadAllText(PortFile).Trim(), out var p) ? p : null;
        return new EmbeddedClusterInfo(ClusterDirectory, data, initialized, pid is not null && port is not null, pid, port);
    }

    /// <summary>
    /// Starts the cluster if it is not running (initialising it first if needed) and returns a connection
    /// string for the <c>npedit</c> database, which is created if missing.
    /// </summary>
    public async Task<string> EnsureRunningAsync(CancellationToken ct = default)
    {
        // Fast path: a running cluster needs no lock and no child process.
        var info = Inspect();
        // The probe opens the platform database itself: a server that another process has just started may not have it yet.
        if (info.Running && await AcceptsSessionsAsync(info.Port!.Value, DatabaseName, ct))
            return ConnectionString(info.Port.Value, DatabaseName);

        Directory.CreateDirectory(ClusterDirectory);
        await using (await AcquireLockAsync(ct))
        {
            info = Inspect();
            if (!info.Running || !await AcceptsSessionsAsync(info.Port!.Value, "postgres", ct))
            {
                if (!info.Initialized)
                    await InitializeAsync(ct);
                await StartLockedAsync(ct);
                info = Inspect();
            }
            var port = info.Port ?? throw new DatabaseSetupException(
                $"The embedded PostgreSQL in '{DataDirectory}' did not report a port; see '{ServerLog}'.");
            await EnsureDatabaseAsync(port, ct);
            return ConnectionString(port, DatabaseName);
        }
    }

    /// <summary>Stops the cluster if it runs (fast shutdown: open sessions are ended, data is flushed).</summary>
    public async Task<bool> StopAsync(CancellationToken ct = default)
    {
        if (!Inspect().Running)
            return false;
        Directory.CreateDirectory(ClusterDirectory);
        await using (await AcquireLockAsync(ct))
        {
            if (!Inspect().Running)
                return false;
            var (code, output) = await PostgresProcess.RunAsync(
                Binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", "fast", "-w", "-t", "60"], ct);
            if (code != 0)
                throw new DatabaseSetupException($"pg_ctl stop failed for '{DataDirectory}': {output.Trim()}");
            return true;
        }
    }

    public string ServerLog => Path.Combine(DataDirectory, "server.log");

    private string ConnectionString(int port, string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = port,
        Username = UserName,
        Password = File.ReadAllText(PasswordFile).Trim(),
        Database = database,
        // Tests and the Hangfire server open many short-lived connections from several processes.
        MaxPoolSize = 50,
        // Npgsql's default is 15 s; on a small machine busy training, forking a backend and the SCRAM exchange can
        // take longer than that, and a healthy server should not be reported as unreachable.
        Timeout = 60,
    }.ConnectionString;

    private async Task InitializeAsync(CancellationToken ct)
    {
        var data = await ChooseDataDirectoryAsync(ct);
        if (Directory.Exists(data) && Directory.EnumerateFileSystemEntries(data).Any())
        {
            // A half-finished initdb (interrupted) leaves files but no PG_VERSION; it holds no data yet.
            Directory.Delete(data, recursive: true);
        }
        Directory.CreateDirectory(data);

        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
        var pwFile = Path.Combine(data, "..", $".pwfile-{Environment.ProcessId}");
        await File.WriteAllTextAsync(pwFile, password + "\n", ct);
        File.SetUnixFileMode(pwFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            await PostgresProcess.HandOverAsync(data, ct);
            await PostgresProcess.HandOverAsync(pwFile, ct);
            var (code, output) = await PostgresProcess.RunAsync(Binaries.InitDb,
                ["-D", data, "-U", UserName, "--auth-local=scram-sha-256", "--auth-host=scram-sha-256",
                 "--pwfile", pwFile, "-E", "UTF8", "--no-locale"], ct, TimeSpan.FromMinutes(5));
            if (code != 0)
                throw new DatabaseSetupException($"initdb failed for '{data}':\n{output.Trim()}");
        }
        finally
        {
            File.Delete(pwFile);
        }

        // Loopback TCP only: no Unix socket (its default folder may not exist or be writable here).
        var settings = """

            # NpEdit embedded cluster
            listen_addresses = '127.0.0.1'
            unix_socket_directories = ''
            max_connections = 300
            # Durable on crash of this process; an OS crash may lose the last few hundred ms of commits.
            synchronous_commit = off
            """;
        var conf = Path.Combine(data, "postgresql.conf");
        if (PostgresProcess.IsRoot)
            await PostgresProcess.RunAsync("sh", ["-c", $"printf '%s\\n' \"$1\" >> \"$2\"", "sh", settings, conf], ct);
        else
            await File.AppendAllTextAsync(conf, settings + "\n", ct);
        await WriteAtomicallyAsync(PasswordFile, password, ct);
        File.SetUnixFileMode(PasswordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private async Task<string> ChooseDataDirectoryAsync(CancellationToken ct)
    {
        var preferred = Path.Combine(ClusterDirectory, "data");
        if (await PostgresProcess.ServiceAccountCanReachAsync(ClusterDirectory, ct) || !PostgresProcess.IsRoot)
        {
            File.Delete(DataLocationFile);
            return preferred;
        }
        // Running as root in a folder the postgres account cannot enter (e.g. under /root): keep the data in a
        // private folder instead and remember where.
        var hash = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(ClusterDirectory)))[..16].ToLowerInvariant();
        var fallback = Path.Combine("/var/tmp", $"npedit-pg-{hash}", "data");
        Directory.CreateDirectory(Path.GetDirectoryName(fallback)!);
        await PostgresProcess.HandOverAsync(Path.GetDirectoryName(fallback)!, ct);
        await WriteAtomicallyAsync(DataLocationFile, fallback, ct);
        return fallback;
    }

    private async Task StartLockedAsync(CancellationToken ct)
    {
        var data = DataDirectory;
        RemoveStalePidFile(data);
        string lastOutput = "";
        for (var attempt = 0; attempt < PortAttempts; attempt++)
        {
            var port = attempt == 0 && TryReadRecordedPort() is { } recorded && PortIsFree(recorded) ? recorded : FreePort();
            var (code, output) = await PostgresProcess.RunAsync(Binaries.PgCtl,
                ["start", "-D", data, "-l", ServerLog, "-w", "-t", "90", "-o", $"-p {port}"], ct, TimeSpan.FromMinutes(3));
            if (code == 0)
            {
                await WriteAtomicallyAsync(PortFile, port.ToString(), ct);
                return;
            }
            lastOutput = output + TailOfLog();
            // Another program took the port between our probe and the bind: try another one.
            if (!lastOutput.Contains("could not bind", StringComparison.OrdinalIgnoreCase) &&
                !lastOutput.Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
                break;
        }
        throw new DatabaseSetupException(
            $"The embedded PostgreSQL in '{data}' did not start:\n{lastOutput.Trim()}\n" +
            "Fix the cause above, or remove the folder to start from scratch (this deletes the local database), " +
            "or set NPEDIT_DB to use another server.");
    }

    private int? TryReadRecordedPort() =>
        File.Exists(PortFile) && int.TryParse(File.ReadAllText(PortFile).Trim(), out var p) ? p : null;

    private string TailOfLog()
    {
        try
        {
            var lines = File.ReadAllLines(ServerLog);
            return "\n" + string.Join('\n', lines.TakeLast(10));
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>
    /// A postmaster.pid whose process is gone (or is another program that reused the pid after a reboot)
    /// would block the start; postgres only clears it when the pid is free, so clear it here, under the lock.
    /// </summary>
    private static void RemoveStalePidFile(string data)
    {
        var pidFile = Path.Combine(data, "postmaster.pid");
        if (File.Exists(pidFile) && LivePostmasterPid(data) is null)
            File.Delete(pidFile);
    }

    private static int? LivePostmasterPid(string data)
    {
        try
        {
            var lines = File.ReadAllLines(Path.Combine(data, "postmaster.pid"));
            if (lines.Length == 0 || !int.TryParse(lines[0].Trim(), out var pid))
                return null;
            var comm = File.ReadAllText($"/proc/{pid}/comm").Trim();
            if (comm != "postgres")
                return null;
            // The process must be the postmaster of *this* data directory.
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return cmdline.Contains(data, StringComparison.Ordinal) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// Whether the server on <paramref name="port"/> opens sessions. A postmaster listens before it is ready: while
    /// another process's <c>pg_ctl start</c> runs crash recovery (after a reboot or a killed session), it refuses
    /// sessions with 57P03 "the database system is starting up". Then this waits until it is ready, rather than
    /// hand out a connection string that fails.
    /// </summary>
    private async Task<bool> AcceptsSessionsAsync(int port, string database, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + LockWait;
        var probe = new NpgsqlConnectionStringBuilder(ConnectionString(port, database)) { Pooling = false }.ConnectionString;
        while (await AcceptsConnectionsAsync(port, ct))
        {
            try
            {
                await using var session = new NpgsqlConnection(probe);
                await session.OpenAsync(ct);
                return true;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CannotConnectNow && DateTime.UtcNow < deadline)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                return false; // not created yet: the locked path waits for its creator, or creates it
            }
        }
        return false;
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task EnsureDatabaseAsync(int port, CancellationToken ct)
    {
        // Unpooled: a pooled connection could belong to an earlier server on the same port (after a restart).
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString(port, "postgres")) { Pooling = false };
        await using var conn = new NpgsqlConnection(admin.ConnectionString);
        await conn.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", conn)
        {
            Parameters = { new() { Value = DatabaseName } },
        };
        if (await exists.ExecuteScalarAsync(ct) is not null)
            return;
        await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName}", conn);
        try
        {
            await create.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created by a concurrent process using a shared server; nothing to do.
        }
    }

    private async Task<IAsyncDisposable> AcquireLockAsync(CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + LockWait;
        while (true)
        {
            try
            {
                // FileShare.None takes an exclusive advisory lock (flock) on Linux, across processes.
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100, ct);
            }
            catch (IOException e)
            {
                throw new DatabaseSetupException(
                    $"Another process has held '{LockFile}' for over {LockWait.TotalMinutes} minutes while starting the " +
                    "embedded PostgreSQL. If no npedit process is running, delete that file and retry.", e);
            }
        }
    }

    private static async Task WriteAtomicallyAsync(string path, string content, CancellationToken ct)
    {
        var tmp = $"{path}.{Environment.ProcessId}.tmp";
        await File.WriteAllTextAsync(tmp, content, ct);
        File.Move(tmp, path, overwrite: true);
    }
}
