using NpEdit.Core.Tracking;

namespace NpEdit.Jobs.Pipeline;

/// <summary>
/// The production binding of <see cref="IPipelineStages"/> to the DatasetBuilder, Trainer and Evaluator libraries.
/// A stage whose library entry point is not in this build fails its job at once with a message saying so.
/// </summary>
public sealed class LibraryStages : IPipelineStages
{
    public Task BuildDatasetUnitAsync(long datasetId, int unit, CancellationToken ct) =>
        throw new StageUnavailableException("dataset", "the DatasetBuilder's unit entry point (DatasetBuild.RunUnitAsync) is not in this build");

    public Task FinalizeDatasetAsync(long datasetId, CancellationToken ct) =>
        throw new StageUnavailableException("dataset", "the DatasetBuilder's finalize entry point (DatasetBuild.FinalizeAsync) is not in this build");

    public Task PretrainAsync(RunRecord run, CancellationToken ct) =>
        throw new StageUnavailableException("pretrain", $"no pretraining entry point for run kind '{run.Kind}' is in this build");

    public Task TrainAsync(RunRecord run, CancellationToken ct) =>
        throw new StageUnavailableException("train", "the NP-Edit trainer's entry point is not in this build");

    public Task GenerateBenchmarkAsync(RunRecord trainRun, CancellationToken ct) =>
        throw new StageUnavailableException("generate", "the Evaluator's benchmark generation is not in this build");

    public Task EvaluateAsync(RunRecord trainRun, CancellationToken ct) =>
        throw new StageUnavailableException("evaluate", "the Evaluator's scoring entry point is not in this build");
}
