using NpEdit.Core.Config.Training;
using NpEdit.Core.Database;
using NpEdit.Core.Tracking;

namespace NpEdit.Jobs.Pipeline.Stages;

/// <summary>Where the stages put and find things, all derived from ids and the state folder (<c>.npedit/</c>).</summary>
public static class PipelinePaths
{
    /// <summary>The oracle weights 'npedit oracle train' writes for the pipeline (override with NPEDIT_ORACLE).</summary>
    public const string OracleVariable = "NPEDIT_ORACLE";

    /// <summary>A training run's folder: the same place 'npedit train' uses, so either can resume the other's run.</summary>
    public static string RunDirectory(NpEditConfig config, Guid runId) =>
        Path.GetFullPath(Path.Combine(config.Run.OutputRoot, config.Experiment, runId.ToString()));

    /// <summary>ShapesWorld-Bench v1, written once under the state folder.</summary>
    public static string BenchRoot => Path.Combine(ProjectPaths.StateDirectory(), "bench");

    public static string Oracle =>
        Environment.GetEnvironmentVariable(OracleVariable) is { Length: > 0 } path
            ? Path.GetFullPath(path)
            : Path.Combine(ProjectPaths.StateDirectory(), "oracle", "shapesworld-oracle.safetensors");

    /// <summary>Where a run's benchmark outputs go.</summary>
    public static string BenchOutputs(RunRecord run) =>
        Path.Combine(RunDirectory(RunConfig.Of(run), run.Id), "bench");
}
