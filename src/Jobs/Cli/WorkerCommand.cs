using System.CommandLine;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NpEdit.Core.Database;
using NpEdit.Jobs.Hosting;
using Spectre.Console;

namespace NpEdit.Jobs.Cli;

/// <summary>
/// <c>npedit worker</c>: a Hangfire server without a dashboard. Any number of them, on any machines, share one
/// database (set <c>NPEDIT_DB</c>); each job is fetched by exactly one of them.
/// </summary>
internal static class WorkerCommand
{
    public static Command Build()
    {
        var queues = new Option<string>("--queues") { Description = "Queues to serve, comma-separated: default, vlm, gpu, report.", DefaultValueFactory = _ => string.Join(",", JobQueues.All) };
        var workers = new Option<int>("--workers") { Description = "Jobs run at once (on a GPU machine: the number of GPUs).", DefaultValueFactory = _ => 1 };
        var command = new Command("worker",
            "Run jobs from the given queues without a dashboard, e.g. 'npedit worker --queues gpu --workers 1' on a GPU machine. " +
            "Point every worker at one database with NPEDIT_DB to scale out.")
        {
            queues, workers,
        };
        CliAction.Set(command, async (parse, ct) =>
        {
            var settings = new WorkerSettings(JobQueues.Parse(parse.GetValue(queues)!), parse.GetValue(workers));
            settings.Validate();
            if (settings.Workers == 0)
                throw new ArgumentException("--workers must be at least 1 for a worker process.");
            var cs = JobStorageSettings.WithPoolFor(await NpEditDatabase.ResolveConnectionStringAsync(ct), settings.Workers);
            await using var dataSource = await NpEditDatabase.OpenAsync(cs, ct);
            var builder = Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddNpEditJobs(dataSource, settings);
            using var host = builder.Build();
            await host.StartAsync(ct);
            AnsiConsole.MarkupLine($"worker {Environment.MachineName}:{Environment.ProcessId}: {settings.Workers} worker(s) on queues " +
                                   $"{string.Join(", ", settings.Queues)}. Ctrl+C stops it (running jobs are requeued).");
            try
            {
                await host.WaitForShutdownAsync(ct);
            }
            catch (OperationCanceledException)
            {
            }
            await host.StopAsync(CancellationToken.None);
            return 0;
        });
        return command;
    }
}
