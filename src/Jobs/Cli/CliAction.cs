using System.CommandLine;
using NpEdit.Core.Config;
using NpEdit.Core.Database;
using NpEdit.Trainer.Runtime;
using Spectre.Console;

namespace NpEdit.Jobs.Cli;

/// <summary>
/// Wraps command actions so that problems a user can fix (bad settings, missing PostgreSQL, no CUDA)
/// print one clear message and exit 1, instead of a stack trace.
/// </summary>
internal static class CliAction
{
    public static void Set(Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                return await action(parse, ct);
            }
            catch (Exception e) when (e is DatabaseSetupException or TorchRuntimeException or FormatException
                                          or FileNotFoundException or DirectoryNotFoundException or ArgumentException
                                          or ConfigException)
            {
                AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
                return 1;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                AnsiConsole.MarkupLine("[yellow]cancelled[/]");
                return 130;
            }
        });
}
