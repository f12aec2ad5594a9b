using NpEdit.Core.Tracking;

namespace NpEdit.Jobs.Pipeline;

/// <summary>
/// The library entry points the jobs call: each job is a thin, id-only wrapper that adds idempotence, status,
/// progress and continuations around one of these. <see cref="LibraryStages"/> is the production binding.
/// </summary>
public interface IPipelineStages
{
    /// <summary>Builds one unit (input slice → one shard) of a prepared dataset; a finished unit is skipped.</summary>
    Task BuildDatasetUnitAsync(long datasetId, int unit, CancellationToken ct);

    /// <summary>Checks the dataset's shards and marks it finished.</summary>
    Task FinalizeDatasetAsync(long datasetId, CancellationToken ct);

    /// <summary>Pretrains G_init or the critic for a <c>pretrain-*</c> run row.</summary>
    Task PretrainAsync(RunRecord run, CancellationToken ct);

    /// <summary>Trains NP-Edit (Algorithm 1) for a <c>train</c> run row, resuming from its last checkpoint.</summary>
    Task TrainAsync(RunRecord run, CancellationToken ct);

    /// <summary>Runs the trained editor over ShapesWorld-Bench; finished items are skipped.</summary>
    Task GenerateBenchmarkAsync(RunRecord trainRun, CancellationToken ct);

    /// <summary>Scores the generated benchmark outputs of the run.</summary>
    Task EvaluateAsync(RunRecord trainRun, CancellationToken ct);
}
