using System.Text.Json.Nodes;
using Dapper;
using Npgsql;
using NpEdit.Core.Tracking;
using NpEdit.Evaluator.Judging;
using NpEdit.Evaluator.Scoring;

namespace NpEdit.Evaluator.Storage;

/// <summary>The evaluator's tables (<c>sql/005_eval.sql</c>): output sets and outputs, eval runs, judgments, scores, summaries.</summary>
public sealed class EvalStore(NpgsqlDataSource dataSource)
{
    private readonly RunStore _runs = new(dataSource);

    public RunStore Runs => _runs;

    public async Task<Guid> EnsureOutputSetAsync(OutputSetSpec spec, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var id = await conn.ExecuteScalarAsync<Guid?>(new CommandDefinition("""
            INSERT INTO npedit.eval_output_sets (id, checkpoint, checkpoint_sha256, benchmark, sampler_steps, seed, directory, config)
            VALUES (@id, @Checkpoint, @CheckpointSha256, @Benchmark, @SamplerSteps, @Seed, @Directory, @config::jsonb)
            ON CONFLICT (checkpoint_sha256, benchmark, sampler_steps, seed, directory) DO NOTHING
            RETURNING id
            """, new { id = Guid.NewGuid(), spec.Checkpoint, spec.CheckpointSha256, spec.Benchmark, spec.SamplerSteps, spec.Seed, spec.Directory,
                config = spec.Config.ToJsonString() }, cancellationToken: ct));
        return id ?? await conn.ExecuteScalarAsync<Guid>(new CommandDefinition("""
            SELECT id FROM npedit.eval_output_sets
            WHERE checkpoint_sha256 = @CheckpointSha256 AND benchmark = @Benchmark AND sampler_steps = @SamplerSteps
              AND seed = @Seed AND directory = @Directory
            """, spec, cancellationToken: ct));
    }

    public async Task<Dictionary<string, EvalOutput>> OutputsAsync(Guid outputSetId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<EvalOutput>(new CommandDefinition("""
            SELECT item_key, group_name, path, sha256, generation_ms FROM npedit.eval_outputs WHERE output_set_id = @outputSetId
            """, new { outputSetId }, cancellationToken: ct));
        return rows.ToDictionary(r => r.ItemKey);
    }

    public async Task AddOutputAsync(Guid outputSetId, EvalOutput output, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO npedit.eval_outputs (output_set_id, item_key, group_name, path, sha256, generation_ms)
            VALUES (@outputSetId, @ItemKey, @GroupName, @Path, @Sha256, @GenerationMs)
            ON CONFLICT (output_set_id, item_key) DO UPDATE SET path = excluded.path, sha256 = excluded.sha256, generation_ms = excluded.generation_ms
            """, new { outputSetId, output.ItemKey, output.GroupName, output.Path, output.Sha256, output.GenerationMs }, cancellationToken: ct));
    }

    /// <summary>Creates the tracking run and its eval row, or finds them when this experiment already ran this config.</summary>
    public async Task<(Guid RunId, bool Created)> CreateOrResumeRunAsync(EvalRunSpec spec, CancellationToken ct = default)
    {
        var (run, created) = await _runs.CreateOrGetAsync(new NewRun(spec.Experiment, "eval", spec.Config)
        {
            Name = $"{spec.Label} · {spec.Benchmark} · {spec.Judge}",
            Tags = spec.Tags,
        }, ct);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO npedit.eval_runs (run_id, output_set_id, label, checkpoint, benchmark, judge, judge_model, sampler_steps, samples_per_item,
                                          metrics, outputs_dir, benchmark_root, config)
            VALUES (@runId, @OutputSetId, @Label, @Checkpoint, @Benchmark, @Judge, @JudgeModel, @SamplerSteps, @SamplesPerItem,
                    @metrics, @OutputsDirectory, @BenchmarkRoot, @config::jsonb)
            ON CONFLICT (run_id) DO NOTHING
            """, new { runId = run.Id, spec.OutputSetId, spec.Label, spec.Checkpoint, spec.Benchmark, spec.Judge, spec.JudgeModel, spec.SamplerSteps,
                spec.SamplesPerItem, metrics = spec.Metrics.ToArray(), spec.OutputsDirectory, spec.BenchmarkRoot, config = spec.Config.ToJsonString() }, cancellationToken: ct));
        return (run.Id, created);
    }

    /// <summary>(item, sample) pairs already judged, failures included: a rerun does not ask again.</summary>
    public async Task<HashSet<(string Key, int Sample)>> JudgedAsync(Guid runId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await conn.QueryAsync<(string, int)>(new CommandDefinition(
            "SELECT item_key, sample FROM npedit.eval_items WHERE run_id = @runId", new { runId }, cancellationToken: ct));
        return rows.ToHashSet();
    }

    public async Task SaveJudgmentAsync(Guid runId, string itemKey, int sample, string group, bool inIntersection, string outputPath,
        JudgeOutcome outcome, CancellationToken ct = default)
    {
        var calls = new JsonArray(outcome.Calls.Select(c => (JsonNode)new JsonObject
        {
            ["prompt"] = c.Prompt,
            ["reply"] = c.Reply,
            ["parsed"] = c.Parsed,
            ["latency_ms"] = c.LatencyMs,
            ["input_tokens"] = c.InputTokens,
            ["output_tokens"] = c.OutputTokens,
            ["attempts"] = c.Attempts,
        }).ToArray());
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO npedit.eval_items (run_id, item_key, sample, group_name, in_intersection, output_path, failure, calls, latency_ms, input_tokens, output_tokens)
            VALUES (@runId, @itemKey, @sample, @group, @inIntersection, @outputPath, @failure, @calls::jsonb, @latency, @input, @output)
            ON CONFLICT (run_id, item_key, sample) DO NOTHING
            """, new
        {
            runId, itemKey, sample, group, inIntersection, outputPath, failure = outcome.Failure, calls = calls.ToJsonString(),
            latency = outcome.Calls.Sum(c => c.LatencyMs), input = outcome.Calls.Sum(c => c.InputTokens), output = outcome.Calls.Sum(c => c.OutputTokens),
        }, transaction: tx, cancellationToken: ct));
        if (outcome.Failure is null)
            await conn.ExecuteAsync(new CommandDefinition("""
                INSERT INTO npedit.eval_scores (run_id, item_key, sample, metric, value) VALUES (@runId, @itemKey, @sample, @metric, @value)
                ON CONFLICT DO NOTHING
                """, outcome.Scores.Select(s => new { runId, itemKey, sample, metric = s.Key, value = s.Value }), transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    /// <summary>Every judgment of a run, failures included, as the aggregator wants them.</summary>
    public async Task<List<ItemScore>> ItemScoresAsync(Guid runId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var items = await conn.QueryAsync<(string Key, int Sample, string Group, bool InIntersection, string? Failure)>(new CommandDefinition(
            "SELECT item_key, sample, group_name, in_intersection, failure FROM npedit.eval_items WHERE run_id = @runId ORDER BY item_key, sample",
            new { runId }, cancellationToken: ct));
        var scores = (await conn.QueryAsync<(string Key, int Sample, string Metric, double Value)>(new CommandDefinition(
                "SELECT item_key, sample, metric, value FROM npedit.eval_scores WHERE run_id = @runId", new { runId }, cancellationToken: ct)))
            .ToLookup(s => (s.Key, s.Sample));
        return items.Select(i => new ItemScore(i.Key, i.Group, i.Sample,
            scores[(i.Key, i.Sample)].ToDictionary(s => s.Metric, s => s.Value), i.Failure) { InIntersection = i.InIntersection }).ToList();
    }

    public async Task SaveSummariesAsync(Guid runId, IEnumerable<MetricSummary> summaries, CancellationToken ct = default)
    {
        var rows = summaries.SelectMany(m => m.Groups
            .Select(g => new SummaryRow(runId, m.Subset, m.Metric, g.Group, Finite(g.Mean), g.Interval?.Low, g.Interval?.High, g.Items, g.Failures, g.ItemVariance))
            .Append(new SummaryRow(runId, m.Subset, m.Metric, "", Finite(m.MacroMean), m.MacroInterval?.Low, m.MacroInterval?.High, m.Items, m.Failures,
                m.Groups.Count == 0 ? 0 : m.Groups.Average(g => g.ItemVariance)))).ToArray();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await conn.ExecuteAsync(new CommandDefinition("DELETE FROM npedit.eval_summaries WHERE run_id = @runId", new { runId }, transaction: tx, cancellationToken: ct));
        await conn.ExecuteAsync(new CommandDefinition("""
            INSERT INTO npedit.eval_summaries (run_id, subset, metric, group_name, mean, ci_low, ci_high, items, failures, item_variance)
            VALUES (@RunId, @Subset, @Metric, @GroupName, @Mean, @CiLow, @CiHigh, @Items, @Failures, @ItemVariance)
            """, rows, transaction: tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
    }

    public async Task<List<SummaryRow>> SummariesAsync(IReadOnlyCollection<Guid> runIds, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<SummaryRow>(new CommandDefinition("""
            SELECT run_id, subset, metric, group_name, mean, ci_low, ci_high, items, failures, item_variance
            FROM npedit.eval_summaries WHERE run_id = ANY(@ids) ORDER BY run_id, subset, metric, group_name
            """, new { ids = runIds.ToArray() }, cancellationToken: ct))).ToList();
    }

    /// <summary>Eval runs of an experiment, or (with <paramref name="grid"/>) the runs tagged <c>grid=G</c> in any experiment.</summary>
    public async Task<List<EvalRunRow>> EvalRunsAsync(string? experiment, string? grid, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<EvalRunRow>(new CommandDefinition("""
            SELECT r.run_id, x.name AS experiment, r.label, r.checkpoint, r.benchmark, r.judge, r.judge_model, r.sampler_steps,
                   r.samples_per_item, r.output_set_id, r.metrics, r.outputs_dir, r.benchmark_root, r.created_at
            FROM npedit.eval_runs r
            JOIN npedit.runs ru ON ru.id = r.run_id
            JOIN npedit.experiments x ON x.id = ru.experiment_id
            WHERE (@experiment::text IS NULL OR x.name = @experiment)
              AND (@grid::text IS NULL OR EXISTS (SELECT 1 FROM npedit.run_tags t WHERE t.run_id = r.run_id AND t.key = 'grid' AND t.value = @grid))
            ORDER BY r.created_at, r.label
            """, new { experiment, grid }, cancellationToken: ct))).ToList();
    }

    /// <summary>Output paths of a run's judged items (the qualitative grid picks from them).</summary>
    public async Task<List<(string Key, string Group, string OutputPath)>> JudgedOutputsAsync(Guid runId, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<(string, string, string)>(new CommandDefinition(
            "SELECT DISTINCT item_key, group_name, output_path FROM npedit.eval_items WHERE run_id = @runId ORDER BY group_name, item_key",
            new { runId }, cancellationToken: ct))).ToList();
    }

    /// <summary>Per-item means of one metric (mean over repeated judgments), for judge-agreement plots.</summary>
    public async Task<Dictionary<string, double>> ItemMeansAsync(Guid runId, string metric, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        return (await conn.QueryAsync<(string Key, double Value)>(new CommandDefinition(
            "SELECT item_key, value FROM npedit.eval_item_means WHERE run_id = @runId AND metric = @metric",
            new { runId, metric }, cancellationToken: ct))).ToDictionary(r => r.Key, r => r.Value);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
