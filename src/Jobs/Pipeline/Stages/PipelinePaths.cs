using NpEdit.Core.Config.Training;
using NpEdit.Core.Database;
using NpEdit.Core.Tracking;
using NpEdit.Evaluator.Oracle;
using NpEdit.Trainer.Training;

namespace NpEdit.Jobs.Pipeline.Stages;

/// <summary>Where the stages put and find things, all derived from ids and the state folder (<c>.npedit/</c>).</summary>
public static class PipelinePaths
{
    /// <summary>The oracle weights 'npedit oracle train' writes for the pipeline (override with NPEDIT_ORACLE).</summary>
    public const string OracleVariable = "NPEDIT_ORACLE";

    /// <summary>A training run's folder: the same place 'npedit train' uses, so either can resume the other's run.</summary>
    public static string RunDirectory(NpEditConfig config, Guid runId) =>
        Path.GetFullPath(Path.Combine(config.Run.OutputRoot, config.Experiment, runId.ToString()));

    /// <summary>G_θ's weights in the run's newest complete checkpoint, or null when training has written none yet.</summary>
    public static string? LatestGenerator(NpEditConfig config, Guid runId) =>
        NpEditRun.LatestCheckpoint(RunDirectory(config, runId)) is { } latest
            ? Path.Combine(latest, TrainingCheckpoint.GeneratorFile)
            : null;

    /// <summary>ShapesWorld-Bench v1, written once under the state folder.</summary>
    public static string BenchRoot => Path.Combine(ProjectPaths.StateDirectory(), "bench");

    /// <summary>
    /// The oracle the pipeline scores with: NPEDIT_ORACLE when set, else one trained into the state folder, else the
    /// oracle bundled with the build (<see cref="OracleCheckpoint.BundledPath"/>), else where a training run would put it.
    /// </summary>
    public static string Oracle =>
        new[] { OracleTrained, OracleCheckpoint.BundledPath }.FirstOrDefault(File.Exists) ?? OracleTrained;

    /// <summary>Where a <c>pretrain-oracle</c> run writes its weights: NPEDIT_ORACLE, else the state folder (never the bundled file).</summary>
    public static string OracleTrained =>
        Environment.GetEnvironmentVariable(OracleVariable) is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(ProjectPaths.StateDirectory(), "oracle", "shapesworld-oracle.safetensors");

    /// <summary>Where a run's benchmark outputs go.</summary>
    public static string BenchOutputs(RunRecord run) =>
        Path.Combine(RunDirectory(RunConfig.Of(run), run.Id), "bench");
}
