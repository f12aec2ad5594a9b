namespace NpEdit.Core.Database;

/// <summary>The machine's PostgreSQL server binaries (initdb, pg_ctl, postgres, psql).</summary>
public sealed record PostgresBinaries(string Directory)
{
    public string InitDb => Path.Combine(Directory, "initdb");
    public string PgCtl => Path.Combine(Directory, "pg_ctl");
    public string Psql => File.Exists(Path.Combine(Directory, "psql")) ? Path.Combine(Directory, "psql") : "psql";

    /// <summary>
    /// Finds a folder holding both <c>initdb</c> and <c>pg_ctl</c>: <c>NPEDIT_PG_BIN</c>, then PATH,
    /// then the newest <c>/usr/lib/postgresql/&lt;version&gt;/bin</c> (Debian keeps them off PATH).
    /// </summary>
    public static PostgresBinaries Locate() => Locate(Candidates());

    internal static PostgresBinaries Locate(IEnumerable<string> candidates)
    {
        foreach (var dir in candidates)
        {
            if (File.Exists(Path.Combine(dir, "initdb")) && File.Exists(Path.Combine(dir, "pg_ctl")))
                return new PostgresBinaries(ResolveLinkedDirectory(dir));
        }
        throw new DatabaseSetupException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/<version>/bin. " +
            "Either install PostgreSQL (Debian/Ubuntu: 'apt-get install postgresql') so the embedded cluster can start, " +
            "or set NPEDIT_DB to the connection string of an existing server " +
            "(e.g. NPEDIT_DB='Host=db.example;Username=npedit;Password=...;Database=npedit').");
    }

    private static IEnumerable<string> Candidates()
    {
        var fromEnv = Environment.GetEnvironmentVariable("NPEDIT_PG_BIN");
        if (!string.IsNullOrWhiteSpace(fromEnv))
            yield return fromEnv;
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            yield return dir;
        const string debianRoot = "/usr/lib/postgresql";
        if (System.IO.Directory.Exists(debianRoot))
        {
            var versions = System.IO.Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .OrderByDescending(x => x.Version);
            foreach (var (dir, _) in versions)
                yield return Path.Combine(dir, "bin");
        }
    }

    // /usr/local/bin/initdb may be a symlink into /usr/lib/postgresql/N/bin; postgres itself must be found
    // next to the real initdb, so resolve the link before using the folder.
    private static string ResolveLinkedDirectory(string dir)
    {
        var initdb = new FileInfo(Path.Combine(dir, "initdb"));
        var target = initdb.ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? dir : Path.GetDirectoryName(target.FullName)!;
    }
}
