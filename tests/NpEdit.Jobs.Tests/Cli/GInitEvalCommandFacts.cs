using Npgsql;
using NpEdit.Core.Database;
using NpEdit.Core.Tracking;
using NpEdit.Testing;

namespace NpEdit.Jobs.Tests.Cli;

/// <summary><c>npedit eval g-init</c> as a real process on a shapes-xs G_init pretrained for two steps, against a private embedded PostgreSQL.</summary>
public sealed class GInitEvalCommandFacts : IAsyncLifetime
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

    [Fact]
    public async Task EvalGInit_ReadsTheSamplesWithTheOracle_AndStoresTheMetricsWithThePretrainingRun()
    {
        var pretrain = await NpeditProcess.RunAsync(Env,
            "pretrain", "t2i", "--preset", "shapes-xs", "--device", "cpu", "--set", "steps=2", "--set", "data.count=48",
            "--set", "data.batch_size=4", "--set", "data.max_objects=2", "--set", "eval.prompts=2", "--set", "eval.grid_prompts=2",
            "--set", "eval.sample_steps=2", "--set", "eval.every=0", "--set", "eval.guidance_scale=2.5");
        Assert.True(pretrain.ExitCode == 0, pretrain.Output);
        await using var db = await OpenAsync();
        var run = Assert.Single(await new RunStore(db).ListAsync("pretrain-t2i"));
        var checkpoint = Path.Combine(_home.Path, "runs", run.Id.ToString(), "checkpoints", "step-0000002", "generator.safetensors");

        var eval = await NpeditProcess.RunAsync(Env, "eval", "g-init", "--checkpoint", checkpoint, "--scenes", "5", "--grid-scenes", "3", "--device", "cpu");

        Assert.True(eval.ExitCode == 0, eval.Output);
        Assert.Contains("attribute agreement (pooled)", eval.Output);
        Assert.Contains("true renders (ceiling)", eval.Output);
        Assert.Contains("2 Euler steps, CFG 2.5, seed 1", eval.Output);   // the run's own eval settings
        Assert.Contains($"with run {run.Id}", eval.Output);
        var metrics = new MetricStore(db);
        var agreement = Assert.Single(await metrics.HistoryAsync(run.Id, "eval/oracle_agreement"));
        var ceiling = Assert.Single(await metrics.HistoryAsync(run.Id, "eval/oracle_ceiling_agreement"));
        Assert.Equal((2L, 2L), (agreement.Step, ceiling.Step));
        Assert.InRange(agreement.Value, 0, 1);
        Assert.True(ceiling.Value > 0.5, $"the oracle reads true 16 px renders poorly: {ceiling.Value}");
        var grid = Assert.Single(await new ArtifactStore(db).ListAsync(run.Id, "oracle-grid"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(grid.Path)[..4]);
        Assert.StartsWith(Path.Combine(_home.Path, "runs", run.Id.ToString(), "samples"), grid.Path);
    }

    [Fact]
    public async Task EvalGInit_FailsWithAClearMessage_OnAMissingCheckpoint_OrABadRun()
    {
        var missing = await NpeditProcess.RunAsync(Env, "eval", "g-init", "--checkpoint", Path.Combine(_home.Path, "no", "generator.safetensors"), "--run", "none");
        var badRun = await NpeditProcess.RunAsync(Env, "eval", "g-init", "--checkpoint", "x.safetensors", "--run", "latest");

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("not found", missing.Output);
        Assert.Contains("npedit pretrain t2i", missing.Output);
        Assert.Equal(1, badRun.ExitCode);
        Assert.Contains("--run takes a run id, 'auto' or 'none'", badRun.Output);
    }

    private async Task<NpgsqlDataSource> OpenAsync() =>
        NpgsqlDataSource.Create(await new EmbeddedPostgres(Path.Combine(_home.Path, "pg")).EnsureRunningAsync());
}
