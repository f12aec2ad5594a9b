using System.CommandLine;

namespace NpEdit.Jobs.Cli;

/// <summary><c>npedit pretrain …</c>: models trained before NP-Edit itself (the ShapesWorld critic, …).</summary>
internal static class PretrainCommands
{
    public static Command Build()
    {
        var pretrain = new Command("pretrain", "Pretrain the models NP-Edit starts from.");
        pretrain.Subcommands.Add(CriticCommands.Pretrain());
        return pretrain;
    }
}
