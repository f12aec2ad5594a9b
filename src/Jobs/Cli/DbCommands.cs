using System.CommandLine;
using System.Diagnostics;
using Dapper;
using Npgsql;
using NpEdit.Core.Database;
using Spectre.Console;

namespace NpEdit.Jobs.Cli;

/// <summary><c>npedit db up|status|stop|psql|reset</c>: the platform's PostgreSQL.</summary>
internal static class DbCommands
{
    public static Command Build()
    {
        var db = new Command("db",
            "Manage the platform's PostgreSQL: the embedded cluster under .npedit/pg/ (default) or the server in NPEDIT_DB.");
        db.Subcommands.Add(Up());
        db.Subcommands.Add(Status());
        db.Subcommands.Add(Stop());
        db.Subcommands.Add(Psql());
        db.Subcommands.Add(Reset());
        return db;
    }

    private static Command Up()
    {
        var command = new Command("up",
            "Start (or reuse) the embedded cluster, or connect to NPEDIT_DB, and apply pending sql/NNN_*.sql migrations.");
        CliAction.Set(command, async (_, ct) =>
        {
            var cs = await NpEditDatabase.ResolveConnectionStringAsync(ct);
            await using var dataSource = NpgsqlDataSource.Create(cs);
            var migrator = new SchemaMigrator(dataSource);
            var applied = await migrator.MigrateAsync(ct);
            var b = new NpgsqlConnectionStringBuilder(cs);
            AnsiConsole.MarkupLine($"PostgreSQL at [bold]{b.Host}:{b.Port}/{b.Database}[/] " +
                                   (NpEditDatabase.UsesEmbeddedCluster ? "(embedded cluster)" : $"({NpEditDatabase.ConnectionVariable})"));
            AnsiConsole.MarkupLine(applied.Count == 0
                ? $"schema up to date at version {migrator.LatestVersion}"
                : $"applied {string.Join(", ", applied.Select(v => v.ToString("D3")))}; schema at version {migrator.LatestVersion}");
            return 0;
        });
        return command;
    }

    private static Command Status()
    {
        var command = new Command("status", "Show the embedded cluster's state and the schema version, without starting anything.");
        CliAction.Set(command, async (_, ct) =>
        {
            string? cs = null;
            if (NpEditDatabase.UsesEmbeddedCluster)
            {
                var cluster = EmbeddedPostgres.ForCheckout();
                var info = cluster.Inspect();
                var grid = new Grid().AddColumns(2);
                grid.AddRow("cluster folder", Markup.Escape(info.ClusterDirectory));
                grid.AddRow("data directory", Markup.Escape(info.DataDirectory));
                grid.AddRow("initialized", info.Initialized ? "yes" : "no (run 'npedit db up')");
                grid.AddRow("running", info.Running ? $"yes, pid {info.ProcessId}, 127.0.0.1:{info.Port}" : "no");
                AnsiConsole.Write(grid);
                if (info.Running)
                    cs = await cluster.EnsureRunningAsync(ct);
            }
            else
            {
                AnsiConsole.MarkupLine($"using {NpEditDatabase.ConnectionVariable}; nothing local is managed");
                cs = await NpEditDatabase.ResolveConnectionStringAsync(ct);
            }
            if (cs is null)
                return 0;
            await using var dataSource = NpgsqlDataSource.Create(cs);
            var migrator = new SchemaMigrator(dataSource);
            var version = await migrator.CurrentVersionAsync(ct);
            AnsiConsole.MarkupLine($"schema version {version} (this build: {migrator.LatestVersion})");
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            var counts = await conn.QueryAsync<(string Table, long Rows)>("""
                SELECT relname, n_live_tup FROM pg_stat_user_tables WHERE schemaname = 'npedit' ORDER BY relname
                """);
            foreach (var (table, rows) in counts)
                AnsiConsole.MarkupLine($"  npedit.{table}: ~{rows} rows");
            return 0;
        });
        return command;
    }

    private static Command Stop()
    {
        var command = new Command("stop", "Stop the embedded cluster (data is kept; 'npedit db up' starts it again).");
        CliAction.Set(command, async (_, ct) =>
        {
            if (!NpEditDatabase.UsesEmbeddedCluster)
            {
                AnsiConsole.MarkupLine($"{NpEditDatabase.ConnectionVariable} is set: there is no local cluster to stop.");
                return 1;
            }
            var stopped = await EmbeddedPostgres.ForCheckout().StopAsync(ct);
            AnsiConsole.MarkupLine(stopped ? "stopped" : "not running");
            return 0;
        });
        return command;
    }

    private static Command Psql()
    {
        var extra = new Argument<string[]>("psql-args")
        {
            Description = "Arguments passed to psql, e.g. -- -c \"SELECT * FROM npedit.runs\".",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("psql", "Open psql on the platform database (starts the embedded cluster if needed).") { extra };
        CliAction.Set(command, async (parse, ct) =>
        {
            var cs = new NpgsqlConnectionStringBuilder(await NpEditDatabase.ResolveConnectionStringAsync(ct));
            var psi = new ProcessStartInfo(PsqlExecutable()) { UseShellExecute = false };
            psi.ArgumentList.Add("--host");
            psi.ArgumentList.Add(cs.Host!);
            psi.ArgumentList.Add("--port");
            psi.ArgumentList.Add(cs.Port.ToString());
            psi.ArgumentList.Add("--username");
            psi.ArgumentList.Add(cs.Username!);
            psi.ArgumentList.Add("--dbname");
            psi.ArgumentList.Add(cs.Database!);
            foreach (var a in parse.GetValue(extra) ?? [])
                psi.ArgumentList.Add(a);
            if (cs.Password is not null)
                psi.Environment["PGPASSWORD"] = cs.Password;
            using var psql = Process.Start(psi)
                ?? throw new FileNotFoundException("psql could not be started; install the PostgreSQL client (apt-get install postgresql-client).");
            await psql.WaitForExitAsync(ct);
            return psql.ExitCode;
        });
        return command;
    }

    private static Command Reset()
    {
        var yes = new Option<bool>("--yes") { Description = "Confirm: every run, metric, dataset manifest and queued job is deleted." };
        var command = new Command("reset",
            "Delete all platform data (schemas npedit and hangfire) and re-create the schema. Needs --yes.") { yes };
        CliAction.Set(command, async (parse, ct) =>
        {
            if (!parse.GetValue(yes))
            {
                AnsiConsole.MarkupLine("[yellow]refusing:[/] 'db reset' deletes every run, metric and job; rerun with --yes to confirm.");
                return 1;
            }
            var cs = await NpEditDatabase.ResolveConnectionStringAsync(ct);
            await using (var conn = new NpgsqlConnection(cs))
            {
                await conn.OpenAsync(ct);
                await conn.ExecuteAsync("DROP SCHEMA IF EXISTS npedit CASCADE; DROP SCHEMA IF EXISTS hangfire CASCADE;");
            }
            await using var dataSource = NpgsqlDataSource.Create(cs);
            var migrator = new SchemaMigrator(dataSource);
            await migrator.MigrateAsync(ct);
            AnsiConsole.MarkupLine($"reset: schema re-created at version {migrator.LatestVersion}");
            return 0;
        });
        return command;
    }

    private static string PsqlExecutable()
    {
        try
        {
            return PostgresBinaries.Locate().Psql;
        }
        catch (DatabaseSetupException)
        {
            return "psql";
        }
    }
}
