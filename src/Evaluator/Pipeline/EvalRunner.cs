using System.Collections.Concurrent;
using NpEdit.Core.Tracking;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Judging;
using NpEdit.Evaluator.Scoring;
using NpEdit.Evaluator.Storage;

namespace NpEdit.Evaluator.Pipeline;

/// <summary>
/// Judges a folder of edited images over a benchmark with one <see cref="IItemJudge"/> and stores everything:
/// each judgment as it completes (so a crash loses only those in flight and a rerun skips the rest), then the
/// per-group and macro summaries with bootstrap intervals, for the full set and (GEdit) the intersection subset.
/// </summary>
public sealed class EvalRunner(EvalStore store)
{
    public async Task<EvalReport> RunAsync(EvalBenchmark benchmark, string outputsDirectory, IItemJudge judge, EvalRunSpec spec,
        EvalOptions options, IProgress<int>? progress = null, CancellationToken ct = default)
    {
        options.Validate();
        var items = options.Limit is { } limit ? benchmark.Items.Take(limit).ToArray() : benchmark.Items.ToArray();
        var missing = items.Where(i => !File.Exists(Path.Combine(outputsDirectory, OutputLayout.RelativePath(i.Group, i.Key)))).ToArray();
        if (missing.Length > 0)
            throw new FileNotFoundException(
                $"{missing.Length} of {items.Length} edited images are missing under {outputsDirectory} (first: {OutputLayout.RelativePath(missing[0].Group, missing[0].Key)}). " +
                "Run 'npedit eval generate' for this benchmark first, or write outputs of another model in the <group>/<key>.png layout.");

        var (runId, _) = await store.CreateOrResumeRunAsync(spec with
        {
            SamplesPerItem = options.SamplesPerItem,
            Metrics = judge.Metrics,
            OutputsDirectory = Path.GetFullPath(outputsDirectory),
            BenchmarkRoot = Path.GetFullPath(benchmark.Root),
        }, ct);
        await store.Runs.SetStatusAsync(runId, RunStatus.Running, ct: ct);
        try
        {
            var done = await store.JudgedAsync(runId, ct);
            var work = items.SelectMany(i => Enumerable.Range(0, options.SamplesPerItem).Select(s => (Item: i, Sample: s)))
                .Where(w => !done.Contains((w.Item.Key, w.Sample))).ToArray();
            var sources = new ConcurrentDictionary<string, byte[]>();
            var judged = 0;
            await Parallel.ForEachAsync(work, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct }, async (w, token) =>
            {
                var relative = OutputLayout.RelativePath(w.Item.Group, w.Item.Key);
                var edited = await File.ReadAllBytesAsync(Path.Combine(outputsDirectory, relative), token);
                var source = sources.GetOrAdd(w.Item.Key, _ => w.Item.LoadSource());
                var outcome = await judge.JudgeAsync(new JudgeInput(w.Item, source, edited), w.Sample, token);
                await store.SaveJudgmentAsync(runId, w.Item.Key, w.Sample, w.Item.Group, w.Item.InIntersection, relative, outcome, token);
                var count = Interlocked.Increment(ref judged); // outside ?. : a null progress must not skip the count
                progress?.Report(count);
            });

            var summaries = await SummariseAsync(runId, judge.Metrics, benchmark.Kind == BenchmarkKind.GEdit, options, ct);
            await store.Runs.SetStatusAsync(runId, RunStatus.Finished, ct: ct);
            return new EvalReport(runId, judged, items.Length * options.SamplesPerItem - work.Length, summaries);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await store.Runs.SetStatusAsync(runId, RunStatus.Failed, e.Message, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Recomputes and stores the summaries of a run from its stored judgments.</summary>
    public async Task<IReadOnlyList<MetricSummary>> SummariseAsync(Guid runId, IReadOnlyList<string> metrics, bool withIntersection,
        EvalOptions options, CancellationToken ct = default)
    {
        var scores = await store.ItemScoresAsync(runId, ct);
        var allMetrics = metrics.Concat(scores.Where(s => !s.Failed).SelectMany(s => s.Scores.Keys)).Distinct().ToArray();
        var subsets = withIntersection ? new[] { ScoreAggregator.FullSet, ScoreAggregator.Intersection } : [ScoreAggregator.FullSet];
        var summaries = subsets.SelectMany(subset => allMetrics.Select(metric =>
            ScoreAggregator.Summarise(scores, metric, subset, options.BootstrapRounds, options.BootstrapSeed))).ToArray();
        await store.SaveSummariesAsync(runId, summaries, ct);
        return summaries;
    }
}
