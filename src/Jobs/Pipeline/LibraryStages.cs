using Npgsql;
using NpEdit.Core.Tracking;
using NpEdit.DatasetBuilder;
using NpEdit.Jobs.Pipeline.Stages;

namespace NpEdit.Jobs.Pipeline;

/// <summary>
/// The production binding of <see cref="IPipelineStages"/>: the DatasetBuilder's unit and finalize entry points,
/// NP-Edit training, benchmark generation and oracle scoring. One instance per process, so the dataset's VLM
/// dispatcher (connections, in-flight limits) is shared by every unit job the process runs.
/// </summary>
public sealed class LibraryStages(NpgsqlDataSource dataSource, DatasetBuildOptions? datasetOptions = null) : IPipelineStages, IDisposable
{
    private readonly Lazy<DatasetBuild> _datasets = new(() => new DatasetBuild(dataSource, datasetOptions));

    public Task BuildDatasetUnitAsync(long datasetId, int unit, CancellationToken ct) =>
        _datasets.Value.RunUnitAsync(datasetId, unit, ct);

    public async Task FinalizeDatasetAsync(long datasetId, CancellationToken ct)
    {
        var status = await _datasets.Value.FinalizeAsync(datasetId, ct);
        if (status.Status != "finished")
            throw new InvalidOperationException($"Dataset {datasetId} is {status.Status} after finalizing ({status.UnitsFinished}/{status.UnitsTotal} units finished): some units are not finished.");
    }

    public Task PretrainAsync(RunRecord run, CancellationToken ct) => new PretrainStage(dataSource).RunAsync(run, ct);

    public Task TrainAsync(RunRecord run, CancellationToken ct) => new TrainStage(dataSource).RunAsync(run, ct);

    public Task GenerateBenchmarkAsync(RunRecord trainRun, CancellationToken ct) => new GenerateStage(dataSource).RunAsync(trainRun, ct);

    public Task EvaluateAsync(RunRecord trainRun, CancellationToken ct) => new EvaluateStage(dataSource).RunAsync(trainRun, ct);

    public void Dispose()
    {
        if (_datasets.IsValueCreated)
            _datasets.Value.Dispose();
    }
}
