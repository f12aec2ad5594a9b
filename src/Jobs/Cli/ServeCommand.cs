using System.CommandLine;
using NpEdit.Core.Database;
using NpEdit.Jobs.Hosting;
using Spectre.Console;

namespace NpEdit.Jobs.Cli;

/// <summary><c>npedit serve</c>: the Hangfire dashboard with the Pipeline page, and a server for every queue unless <c>--no-worker</c>.</summary>
internal static class ServeCommand
{
    public static Command Build()
    {
        var host = new Option<string>("--host")
        {
            Description = $"Address to bind. Anything but loopback needs {DashboardAccess.TokenVariable} or {DashboardAccess.UserVariable}/{DashboardAccess.PasswordVariable}.",
            DefaultValueFactory = _ => "127.0.0.1",
        };
        var port = new Option<int>("--port") { Description = "TCP port (0 picks a free one).", DefaultValueFactory = _ => 5080 };
        var noWorker = new Option<bool>("--no-worker") { Description = "Dashboard only; jobs run on 'npedit worker' processes." };
        var workers = new Option<int>("--workers") { Description = "Worker threads of the built-in server.", DefaultValueFactory = _ => Math.Max(2, Environment.ProcessorCount) };
        var queues = new Option<string>("--queues") { Description = "Queues the built-in server serves (comma-separated).", DefaultValueFactory = _ => string.Join(",", JobQueues.All) };
        var command = new Command("serve",
            "Host the Hangfire dashboard (with the Pipeline page: datasets, runs with live losses, evaluations, reports) " +
            "on 127.0.0.1:5080, plus a job server for all queues unless --no-worker.")
        {
            host, port, noWorker, workers, queues,
        };
        CliAction.Set(command, async (parse, ct) =>
        {
            var access = DashboardAccess.FromEnvironment();
            var bindHost = parse.GetValue(host)!;
            // Refuse before touching the database: an exposed, unauthenticated dashboard must never come up.
            access.EnsureAllowed(bindHost);
            var settings = parse.GetValue(noWorker)
                ? WorkerSettings.None
                : new WorkerSettings(JobQueues.Parse(parse.GetValue(queues)!), parse.GetValue(workers));
            settings.Validate();
            var cs = JobStorageSettings.WithPoolFor(await NpEditDatabase.ResolveConnectionStringAsync(ct), settings.Workers);
            await using var dataSource = await NpEditDatabase.OpenAsync(cs, ct);
            await using var web = await DashboardHost.StartAsync(dataSource, bindHost, parse.GetValue(port), access, settings, ct);
            AnsiConsole.MarkupLine($"dashboard: [link]{web.DashboardUrl}[/]  (Pipeline page: {web.DashboardUrl}/pipeline)");
            AnsiConsole.MarkupLine(settings.Workers == 0
                ? "no worker in this process: start 'npedit worker' where the jobs should run"
                : $"server: {settings.Workers} worker(s) on queues {string.Join(", ", settings.Queues)}");
            AnsiConsole.MarkupLine("Ctrl+C stops it.");
            try
            {
                await web.WaitForShutdownAsync(ct);
            }
            catch (OperationCanceledException)
            {
            }
            return 0;
        });
        return command;
    }
}
