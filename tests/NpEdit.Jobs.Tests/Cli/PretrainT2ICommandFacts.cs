using Npgsql;
using NpEdit.Core.Database;
using NpEdit.Core.Tracking;
using NpEdit.Testing;

namespace NpEdit.Jobs.Tests.Cli;

/// <summary><c>npedit pretrain t2i</c> as a real process on shapes-xs, against a private embedded PostgreSQL.</summary>
public sealed class PretrainT2ICommandFacts : IAsyncLifetime
{
    private readonly IsolatedHome _home = new();

    public Task InitializeAsync() => _home.InitializeAsync();
    public Task DisposeAsync() => _home.DisposeAsync();

    private Dictionary<string, string?> Env
    {
        get
        {
            var env = _home.Environment;
            env["NPEDIT_TORCH_THREADS"] = "1";
            return env;
        }
    }

    /// <summary>A tiny run: 48 corpus images, batches of 4, a checkpoint every 2 steps, a 4-prompt evaluation.</summary>
    private static string[] Tiny(int steps, params string[] extra) =>
    [
        "pretrain", "t2i", "--preset", "shapes-xs", "--device", "cpu",
        "--set", $"steps={steps}", "--set", "data.count=48", "--set", "data.batch_size=4",
        "--set", "eval.prompts=4", "--set", "eval.grid_prompts=4", "--set", "eval.sample_steps=2", "--set", "eval.every=0",
        "--set", "checkpoint_every=2", "--set", "log_every=1", .. extra,
    ];

    [Fact]
    public async Task PretrainT2I_RecordsTheRun_WritesCheckpointAndSampleGrid()
    {
        var run = await NpeditProcess.RunAsync(Env, Tiny(3));

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("done", run.Output);
        await using var db = await OpenAsync();
        var record = Assert.Single(await new RunStore(db).ListAsync("pretrain-t2i"));
        Assert.Equal("finished", record.Status);
        Assert.Equal("pretrain-t2i", record.Kind);
        var loss = await new MetricStore(db).HistoryAsync(record.Id, "loss");
        Assert.Equal([1L, 2L, 3L], loss.Select(p => p.Step));
        Assert.All(loss, p => Assert.True(double.IsFinite(p.Value) && p.Value > 0));
        Assert.Single(await new MetricStore(db).HistoryAsync(record.Id, "eval/color_agreement"));
        var artifacts = await new ArtifactStore(db).ListAsync(record.Id);
        var grid = Assert.Single(artifacts, a => a.Kind == "sample-grid");
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(grid.Path)[..4]);
        var checkpoint = artifacts.Where(a => a.Kind == "checkpoint").Select(a => a.Path).Order().Last();
        Assert.EndsWith(Path.Combine("step-0000003", "generator.safetensors"), checkpoint);
        var config = await File.ReadAllTextAsync(Path.ChangeExtension(checkpoint, ".config.json"));
        Assert.Contains("\"preset\": \"shapes-xs\"", config);

        var again = await NpeditProcess.RunAsync(Env, Tiny(3));

        Assert.Equal(1, again.ExitCode);
        Assert.Contains("--resume", again.Output);

        var resumed = await NpeditProcess.RunAsync(Env, Tiny(3, "--resume"));

        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Contains($"existing run {record.Id}", resumed.Output);
        Assert.Contains("done: step 3", resumed.Output);
        Assert.Single(await new RunStore(db).ListAsync("pretrain-t2i"));
        Assert.Equal([1L, 2L, 3L], (await new MetricStore(db).HistoryAsync(record.Id, "loss")).Select(p => p.Step));
    }

    [Fact]
    public async Task PretrainT2I_FailsWithAClearMessage_OnAnUnknownConfigKey()
    {
        var run = await NpeditProcess.RunAsync(Env, "pretrain", "t2i", "--set", "learning_rat=1e-3");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("unknown config key 'learning_rat'", run.Output);
        Assert.Contains("learning_rate", run.Output);
    }

    private async Task<NpgsqlDataSource> OpenAsync() =>
        NpgsqlDataSource.Create(await new EmbeddedPostgres(Path.Combine(_home.Path, "pg")).EnsureRunningAsync());
}
