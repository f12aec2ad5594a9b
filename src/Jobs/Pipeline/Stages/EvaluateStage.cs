using System.Text.Json.Nodes;
using Npgsql;
using NpEdit.Core.Tracking;
using NpEdit.Evaluator.Judging;
using NpEdit.Evaluator.Oracle;
using NpEdit.Evaluator.Pipeline;
using NpEdit.Evaluator.Scoring;
using NpEdit.Evaluator.Storage;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Runtime;

namespace NpEdit.Jobs.Pipeline.Stages;

/// <summary>
/// Judges a run's ShapesWorld-Bench outputs with the ground-truth oracle (never used in training) through the
/// Evaluator's runner, so every item's judgment and the per-type summaries land in the eval tables exactly as
/// <c>npedit eval judge --judge oracle</c> stores them (the report reads them from there). The means, overall and
/// per edit type, are also logged as <c>bench/…</c> metrics of the training run at its final step, so plain SQL
/// sees them next to the losses. The run's critic, when it has one, judges the same outputs for the report's
/// critic-vs-oracle agreement. Each eval run is found again by its config, so a rerun judges nothing twice.
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
        var checkpoint = PipelinePaths.LatestGenerator(config, run.Id) ?? "unknown";
        var benchmark = await PipelineBench.LoadAsync(ct);
        var device = TorchRuntime.Initialize(DeviceSpec.Parse(config.Run.Device)).Device;

        var runs = new RunStore(dataSource);
        var tags = new Dictionary<string, string> { ["train_run"] = run.Id.ToString() };
        if ((await runs.TagsAsync(run.Id, ct)).TryGetValue("grid", out var grid))
            tags["grid"] = grid;
        var label = run.Name ?? run.Id.ToString()[..8];
        EvalRunSpec Spec(IItemJudge judge, string model)
        {
            var recorded = new JsonObject { ["train_run"] = run.Id.ToString(), ["benchmark"] = benchmark.Name, ["judge"] = judge.Name, [judge.Name] = model };
            if (judge is OracleJudge) recorded["oracle_refine"] = true;
            return new(config.Experiment, label, checkpoint, benchmark.Name, judge.Name, judge.Model, config.Schedule.SamplerSteps, 1, null, recorded) { Tags = tags };
        }
        // The critic judges one item at a time (it serialises on its one network anyway); the oracle's network takes
        // turns too, but its refinement renders on every core.
        var runner = new EvalRunner(new EvalStore(dataSource));
        var options = new EvalOptions { Concurrency = 1 };
        var oracleOptions = new EvalOptions { Concurrency = Environment.ProcessorCount };

        EvalReport report;
        using (var parser = OracleCheckpoint.Load(oracle, device))
        {
            var judge = new OracleJudge(new ShapesBenchScorer(parser, refine: true), oracle);
            report = await runner.RunAsync(benchmark, outputs, judge, Spec(judge, oracle), oracleOptions, ct: ct);
        }
        await new MetricStore(dataSource).LogAsync(BenchMetrics(run.Id, config.Schedule.Steps, report.Summaries), ct);

        // The run's own critic judges the same outputs, so the report can set its verdicts against the oracle's
        // (critic-vs-oracle agreement): how far the signal the editor was trained on can be trusted. A checkpoint is
        // a file of ours or a Hugging Face LLaVA-OneVision folder; an only-DMD run may name none.
        if (File.Exists(config.Critic.Checkpoint) || Directory.Exists(config.Critic.Checkpoint))
        {
            using var critic = CriticCheckpoint.Load(config.Critic.Checkpoint, device);
            var judge = new CriticJudge(critic, device, config.Critic.Checkpoint);
            await runner.RunAsync(benchmark, outputs, judge, Spec(judge, config.Critic.Checkpoint), options, ct: ct);
        }
    }

    /// <summary>The full-set summaries as metrics: <c>bench/&lt;metric&gt;</c> (macro mean over edit types) and <c>bench/&lt;type&gt;/&lt;metric&gt;</c>.</summary>
    private static IReadOnlyList<MetricPoint> BenchMetrics(Guid runId, long step, IReadOnlyList<MetricSummary> summaries)
    {
        var now = DateTime.UtcNow;
        var points = new List<MetricPoint>();
        foreach (var summary in summaries.Where(s => s.Subset == ScoreAggregator.FullSet && double.IsFinite(s.MacroMean)))
        {
            points.Add(new MetricPoint(runId, $"{Prefix}{summary.Metric}", step, summary.MacroMean, now));
            points.AddRange(summary.Groups.Where(g => double.IsFinite(g.Mean))
                .Select(g => new MetricPoint(runId, $"{Prefix}{g.Group}/{summary.Metric}", step, g.Mean, now)));
        }
        return points;
    }
}
