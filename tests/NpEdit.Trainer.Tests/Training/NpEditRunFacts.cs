using NpEdit.Core.Config.Training;
using NpEdit.Core.Shards;
using NpEdit.Core.Tracking;
using NpEdit.Testing;
using NpEdit.Trainer.Training;

namespace NpEdit.Trainer.Tests.Training;

/// <summary>Whole runs on shards written by Core's ShardWriter: resume exactness, and a shapes-xs smoke run logged to PostgreSQL.</summary>
public sealed class NpEditRunFacts : IClassFixture<TestDatabase>, IDisposable
{
    private readonly TestDatabase database;
    private readonly TempDirectory temp = new("npedit-train");

    public NpEditRunFacts(TestDatabase database) => this.database = database;

    public void Dispose() => temp.Dispose();

    private async Task<(NpEditRun Run, NpEditTrainer Trainer)> StartAsync(NpEditConfig config, string directory, TrainingTracker? tracker = null)
    {
        var dataset = await EditDataset.LoadAsync(config.Data.Shards);
        var init = TrainingFixtures.Init(dataset.Rows.Select(r => r.Sample));
        NpEditTrainer trainer;
        using (init.DiT)
        using (init.Text)
            trainer = new NpEditTrainer(config, init, new TinyCritic());
        var sampler = new EditBatchSampler(dataset.Rows, config.Data.Fraction, config.Data.RemovalProbability, config.Data.Seed);
        return (new NpEditRun(config, trainer, sampler, null, directory, tracker), trainer);
    }

    private async Task<NpEditConfig> ConfigAsync(int steps)
    {
        var shards = Path.Combine(temp.Path, "shards");
        if (!Directory.Exists(shards))
        {
            var rows = TrainingFixtures.Rows(22);
            await ShardWriter.WriteAsync(Path.Combine(shards, "part-0.parquet"), rows.Take(11).ToList());
            await ShardWriter.WriteAsync(Path.Combine(shards, "part-1.parquet"), rows.Skip(11).ToList());
        }
        var config = TrainingFixtures.Config();
        return config with
        {
            Data = config.Data with { Shards = [shards] },
            Schedule = config.Schedule with { Steps = steps, WarmupSteps = 2, SingleStepSteps = 2, AuxUpdates = 1 },
            Loss = config.Loss with { DoNothingProbability = 0.2 },
        };
    }

    [Fact]
    public async Task InterruptedAndResumed_GivesTheSameLossSequence_AsUninterrupted()
    {
        var config = await ConfigAsync(steps: 7) with { Run = TrainingFixtures.Config().Run with { CheckpointEvery = 1000 } };
        var (straight, straightTrainer) = await StartAsync(config, Path.Combine(temp.Path, "straight"));
        IReadOnlyList<IReadOnlyDictionary<string, double>> expected;
        using (straightTrainer)
            expected = await straight.RunAsync();

        var directory = Path.Combine(temp.Path, "interrupted");
        using var cancel = new CancellationTokenSource();
        var (first, firstTrainer) = await StartAsync(config, directory);
        using (firstTrainer)
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first.RunAsync((step, _) => { if (step == 4) cancel.Cancel(); }, cancel.Token));
        var (second, secondTrainer) = await StartAsync(config, directory);
        IReadOnlyList<IReadOnlyDictionary<string, double>> resumed;
        using (secondTrainer)
        {
            Assert.Equal(4, second.Resume());
            resumed = await second.RunAsync();
        }

        Assert.Equal(7, expected.Count);
        Assert.Equal(3, resumed.Count);
        foreach (var key in new[] { "loss/total", "loss/dmd", "loss/vlm", "loss/aux", "grad_norm/generator", "unroll/t" })
            Assert.Equal(expected.Skip(4).Select(l => l[key]), resumed.Select(l => l[key]));
        var consumed = File.ReadAllLines(Path.Combine(directory, NpEditRun.ConsumedFile));
        Assert.Equal(File.ReadAllLines(Path.Combine(temp.Path, "straight", NpEditRun.ConsumedFile)), consumed);
    }

    [Fact]
    public async Task SmokeRun_ShapesXs_TwentySteps_LogsFiniteLossesAndArtifacts()
    {
        var config = await ConfigAsync(steps: 20) with
        {
            Run = TrainingFixtures.Config().Run with { MetricsEvery = 5, CheckpointEvery = 10, SamplesEvery = 20, SampleGridItems = 3 },
        };
        var runs = new RunStore(database.DataSource);
        var (record, _) = await runs.CreateOrGetAsync(new NewRun("trainer-smoke", "train", new System.Text.Json.Nodes.JsonObject { ["test"] = "smoke" }));
        var tracker = new TrainingTracker(record.Id, new MetricStore(database.DataSource), new ArtifactStore(database.DataSource));
        var (run, trainer) = await StartAsync(config, Path.Combine(temp.Path, "smoke"), tracker);

        IReadOnlyList<IReadOnlyDictionary<string, double>> history;
        using (trainer)
            history = await run.RunAsync();

        Assert.Equal(20, history.Count);
        Assert.All(history, logs => Assert.All(logs, kv => Assert.True(double.IsFinite(kv.Value), $"{kv.Key} = {kv.Value}")));
        Assert.All(history.Skip(2), logs => Assert.Contains("loss/dmd", logs.Keys));
        Assert.All(history.Skip(2), logs => Assert.Contains("loss/vlm", logs.Keys));
        Assert.All(history.Skip(2), logs => Assert.Equal(0, logs["skipped"]));
        var metrics = new MetricStore(database.DataSource);
        var total = await metrics.HistoryAsync(record.Id, "loss/total");
        Assert.Equal([5L, 10, 15, 20], total.Select(p => p.Step));
        var latest = await metrics.LatestAsync(record.Id);
        Assert.Contains(latest.Keys, k => k.StartsWith("p_correct/edit/", StringComparison.Ordinal));
        Assert.Contains("grad_norm/aux", latest.Keys);
        Assert.Contains("dmd/grad_norm", latest.Keys);
        Assert.Contains("time/step_s", latest.Keys);
        var artifacts = await new ArtifactStore(database.DataSource).ListAsync(record.Id);
        Assert.Contains(artifacts, a => a.Kind == "sample-grid" && File.Exists(a.Path));
        Assert.Equal(2, artifacts.Count(a => a.Kind == "checkpoint"));
        Assert.Contains(artifacts, a => a.Kind == "data-consumed");
        var saved = NpEdit.Trainer.Models.GeneratorCheckpoint.Load(Path.Combine(NpEditRun.LatestCheckpoint(run.Directory)!, TrainingCheckpoint.GeneratorFile));
        Assert.Equal(20, saved.Config.Step);
        saved.DiT.Dispose();
        saved.Text.Dispose();
    }
}
