using System.Text.Json;
using NpEdit.Core.Config;
using NpEdit.Core.Tracking;
using NpEdit.Evaluator.Oracle;
using NpEdit.Trainer.Runtime;
using TorchSharp;

namespace NpEdit.Jobs.Pipeline.Stages;

/// <summary>
/// Trains the ShapesWorld oracle (the scene parser that scores benchmark outputs; never used in training) for a
/// <c>pretrain-oracle</c> run whose config is an <see cref="OracleTrainConfig"/>, and writes it to <see cref="PipelinePaths.OracleTrained"/>.
/// </summary>
public static class OracleStage
{
    public const string Kind = "pretrain-oracle";

    public static Task RunAsync(RunRecord run, CancellationToken ct)
    {
        var config = (JsonSerializer.Deserialize<OracleTrainConfig>(run.Config, ConfigLoader.JsonOptions)
                      ?? throw new InvalidDataException($"Run {run.Id} has an empty oracle config.")).Validate();
        var device = TorchRuntime.Initialize(DeviceSpec.Parse("auto")).Device;
        using var trainer = new OracleTrainer(config, device);
        trainer.Run((_, _) => { }, ct);
        using var parser = new SceneParser(trainer.Network, device);
        var accuracy = OracleAccuracy.Measure(parser, 300);
        var path = PipelinePaths.OracleTrained;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        trainer.Save(path, new OracleTrainingRecord(config, trainer.Step, Math.Round(trainer.TrainSeconds, 1), torch.get_num_threads(), Environment.MachineName, accuracy));
        return Task.CompletedTask;
    }
}
