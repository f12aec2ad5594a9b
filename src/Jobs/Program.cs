using System.CommandLine;
using NpEdit.Jobs.Cli;

var root = new RootCommand(
    "npedit: train image-editing models without paired data (NP-Edit). Run 'npedit demo' for the whole " +
    "pipeline on the embedded ShapesWorld defaults, 'npedit doctor' to check this machine.");
root.Subcommands.Add(DoctorCommand.Build());
root.Subcommands.Add(DbCommands.Build());
root.Subcommands.Add(WorldCommands.Build());
root.Subcommands.Add(TrainCommands.Build());
root.Subcommands.Add(DemoCommand.Build());
return await root.Parse(args).InvokeAsync();
