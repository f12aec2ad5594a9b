using Npgsql;
using NpEdit.Core.Tracking;
using NpEdit.Evaluator.Oracle;
using NpEdit.Evaluator.Pipeline;
using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.Trainer.Runtime;

namespace NpEdit.Jobs.Pipeline.Stages;

/// <summary>
/// Scores a run's ShapesWorld-Bench outputs with the ground-truth oracle (never used in training) and logs the
/// means, overall and per edit type, as <c>bench/…</c> metrics of the run at its final step, so the grid report
/// and plain SQL see them next to the losses. Rewriting the same values makes a rerun harmless.
/// </summary>
public sealed class EvaluateStage(NpgsqlDataSource dataSource)
{
    public const string Prefix = "bench/";

    public async Task RunAsync(RunRecord run, CancellationToken ct)
    {
        var config = RunConfig.Of(run);
        var outputs = PipelinePaths.BenchOutputs(run);
        if (!Directory.Exists(outputs))
            throw new DirectoryNotFoundException($"Run {run.Id} has no benchmark outputs in {outputs}; the GenerateBenchmark job writes them.");
        var oracle = PipelinePaths.Oracle;
        if (!File.Exists(oracle))
            throw new FileNotFoundException(
                $"The ShapesWorld oracle '{oracle}' does not exist: train it with 'npedit oracle train --out {oracle}' (or set {PipelinePaths.OracleVariable}).", oracle);
        var benchmark = await GenerateStage.LoadBenchAsync(ct);
        var device = TorchRuntime.Initialize(DeviceSpec.Parse(config.Run.Device)).Device;
        using var parser = OracleCheckpoint.Load(oracle, device);
        var scorer = new ShapesBenchScorer(parser);

        var scored = new List<(string Group, IReadOnlyDictionary<string, double> Scores)>();
        foreach (var batch in benchmark.Items.Chunk(64))
        {
            ct.ThrowIfCancellationRequested();
            var pairs = batch.Select(i => (GroundTruth.EditItemOf(i.ShapesItem!), RgbImage.ReadPng(Path.Combine(outputs, OutputLayout.RelativePath(i.Group, i.Key))))).ToList();
            var scores = scorer.Score(pairs);
            scored.AddRange(batch.Zip(scores, (item, s) => (item.Group, s.Named)));
        }

        var step = config.Schedule.Steps;
        var now = DateTime.UtcNow;
        var points = new List<MetricPoint>();
        foreach (var key in scored[0].Scores.Keys)
        {
            points.Add(new MetricPoint(run.Id, $"{Prefix}{key}", step, scored.Average(s => s.Scores[key]), now));
            foreach (var group in scored.GroupBy(s => s.Group))
                points.Add(new MetricPoint(run.Id, $"{Prefix}{group.Key}/{key}", step, group.Average(s => s.Scores[key]), now));
        }
        await new MetricStore(dataSource).LogAsync(points, ct);
    }
}
