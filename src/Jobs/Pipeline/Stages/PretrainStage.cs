using System.Text.Json;
using Npgsql;
using NpEdit.Core.Config;
using NpEdit.Core.Database;
using NpEdit.Core.Tracking;
using NpEdit.Trainer.Critic.Shapes;
using NpEdit.Trainer.Pretraining;
using NpEdit.Trainer.Runtime;

namespace NpEdit.Jobs.Pipeline.Stages;

/// <summary>
/// The models trained before NP-Edit, each behind its library entry point: G_init (<see cref="T2IPretrainJob"/>),
/// the ShapesWorld critic (<see cref="CriticPretrainRun"/>) and the evaluation oracle (<see cref="OracleStage"/>).
/// The run row is the one the library itself keys by (experiment, config), so the CLI and the job share runs.
/// </summary>
public sealed class PretrainStage(NpgsqlDataSource dataSource)
{
    public const string CriticKind = "pretrain-critic";

    public async Task RunAsync(RunRecord run, CancellationToken ct)
    {
        switch (run.Kind)
        {
            case T2IPretrainJob.Kind:
                TorchRuntime.Initialize(DeviceSpec.Parse("auto"));
                var outcome = await new T2IPretrainJob(dataSource).RunAsync(run.Id, resume: true, progress: null, ct);
                if (!outcome.Completed)
                    throw new OperationCanceledException($"G_init pretraining stopped at step {outcome.Step}; the next attempt resumes there.");
                break;
            case CriticKind:
                var config = JsonSerializer.Deserialize<CriticPretrainConfig>(run.Config, ConfigLoader.JsonOptions)
                             ?? throw new InvalidDataException($"Run {run.Id} has an empty critic config.");
                var resolved = ConfigLoader.Resolve<CriticPretrainConfig>(JsonSerializer.SerializeToNode(config, ConfigLoader.JsonOptions)!.AsObject(), $"run {run.Id}");
                var device = TorchRuntime.Initialize(DeviceSpec.Parse("auto")).Device;
                await new CriticPretrainRun(dataSource).RunAsync(resolved, CriticPath(run.Id), device, progress: null, ct: ct);
                break;
            case OracleStage.Kind:
                await OracleStage.RunAsync(run, ct);
                break;
            default:
                throw new StageUnavailableException("pretrain", $"no pretraining entry point for run kind '{run.Kind}' is in this build");
        }
    }

    /// <summary>Where a critic pretraining run's checkpoint goes (derived from its id, so a rerun finds it).</summary>
    public static string CriticPath(Guid runId) => Path.Combine(ProjectPaths.StateDirectory(), "critics", $"{runId}.safetensors");

    /// <summary>The G_init weights of a finished t2i pretraining run.</summary>
    public static string? GeneratorInitPath(Guid runId) =>
        T2IPretrainJob.LatestCheckpoint(runId) is { } folder ? Path.Combine(folder, "generator.safetensors") : null;
}
