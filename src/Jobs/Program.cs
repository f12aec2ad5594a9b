using System.CommandLine;
using NpEdit.Jobs.Cli;
using Spectre.Console;

// Output going to a file or a pipe has no window to measure: honour COLUMNS there (Spectre would wrap at 80).
if (Console.IsOutputRedirected && int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0)
    AnsiConsole.Profile.Width = columns;

var root = new RootCommand(
    "npedit: train image-editing models without paired data (NP-Edit). Run 'npedit demo' for the whole " +
    "pipeline on the embedded ShapesWorld defaults, 'npedit doctor' to check this machine.");
root.Subcommands.Add(DoctorCommand.Build());
root.Subcommands.Add(DbCommands.Build());
root.Subcommands.Add(WorldCommands.Build());
root.Subcommands.Add(OracleCommands.Build());
root.Subcommands.Add(ServeCommand.Build());
root.Subcommands.Add(WorkerCommand.Build());
root.Subcommands.Add(GridCommands.Build());
root.Subcommands.Add(DatasetCommands.Build());
root.Subcommands.Add(TrainCommands.Build());
root.Subcommands.Add(DemoCommand.Build());
root.Subcommands.Add(PretrainCommands.Build());
root.Subcommands.Add(CriticCommands.Build());
root.Subcommands.Add(EvalCommands.Build());
root.Subcommands.Add(ReportCommands.Build());
// Ctrl-C or SIGTERM cancels the token once; long jobs (pretrain) need more than System.CommandLine's default 2 s to
// finish a step and save a checkpoint, and its own handler crashes on a second signal (TerminationSignals says why).
using var signals = new TerminationSignals(TimeSpan.FromSeconds(60));
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token);
