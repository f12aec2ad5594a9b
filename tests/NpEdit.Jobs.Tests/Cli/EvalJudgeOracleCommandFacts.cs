using Dapper;
using Npgsql;
using NpEdit.Core.Database;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Pipeline;
using NpEdit.Testing;

namespace NpEdit.Jobs.Tests.Cli;

/// <summary>
/// <c>npedit eval judge --judge oracle</c> as a real process against a private embedded PostgreSQL, on the editor whose
/// right answer is known: one that returns its input unchanged (no edit made, every object kept).
/// </summary>
public sealed class EvalJudgeOracleCommandFacts : IAsyncLifetime
{
    private readonly IsolatedHome _home = new();

    public Task InitializeAsync() => _home.InitializeAsync();
    public Task DisposeAsync() => _home.DisposeAsync();

    [Fact]
    public async Task TheOracleJudgeRefinesItsReadings_ByDefault_AndRecordsWhichReadingItUsed()
    {
        var env = _home.Environment;
        env["NPEDIT_TORCH_THREADS"] = "1";
        var benchRoot = Path.Combine(_home.Path, "bench");
        var written = await NpeditProcess.RunAsync(env, "world", "bench", "--out", benchRoot);
        Assert.True(written.ExitCode == 0, written.Output);
        var data = Path.Combine(benchRoot, "shapesworld-bench-v1");
        var outputs = Path.Combine(_home.Path, "copy-input");
        foreach (var item in (await ShapesWorldBenchLoader.LoadAsync(data)).Items)
        {
            var path = Path.Combine(outputs, OutputLayout.RelativePath(item.Group, item.Key));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, item.LoadSource());
        }

        string[] Judge(string label, params string[] extra) =>
            ["eval", "judge", "--benchmark", "shapesworld", "--data", data, "--outputs", outputs, "--experiment", "copy",
             "--label", label, "--judge", "oracle", "--limit", "40", "--bootstrap", "0", "--device", "cpu", .. extra];
        var network = await NpeditProcess.RunAsync(env, Judge("network", "--refine", "false"));
        var refined = await NpeditProcess.RunAsync(env, Judge("refined"));

        Assert.True(network.ExitCode == 0, network.Output);
        Assert.True(refined.ExitCode == 0, refined.Output);
        // Where NNPACK cannot start, libtorch would log it at every small convolution (NnpackSwitch).
        Assert.DoesNotContain("Could not initialize NNPACK", refined.Output);
        await using var db = NpgsqlDataSource.Create(await new EmbeddedPostgres(Path.Combine(_home.Path, "pg")).EnsureRunningAsync());
        await using var conn = await db.OpenConnectionAsync();
        var runs = (await conn.QueryAsync<(string Label, string? Refine, double EditSuccess, double Preservation, double Realism, long Items)>("""
            SELECT er.label, er.config->>'oracle_refine',
                   avg(s.value) FILTER (WHERE s.metric = 'edit_success'), avg(s.value) FILTER (WHERE s.metric = 'preservation'),
                   avg(s.value) FILTER (WHERE s.metric = 'realism'), count(DISTINCT s.item_key)
            FROM npedit.eval_runs er JOIN npedit.eval_scores s ON s.run_id = er.run_id
            GROUP BY er.label, er.config ORDER BY er.label
            """)).ToDictionary(r => r.Label);

        Assert.Equal("false", runs["network"].Refine);
        Assert.Equal("true", runs["refined"].Refine);
        Assert.All(runs.Values, r => Assert.Equal(40, r.Items));
        // Copying the input makes no edit and keeps everything; a clean render re-renders exactly from a right reading.
        Assert.Equal(0, runs["refined"].EditSuccess);
        Assert.True(runs["refined"].Preservation >= runs["network"].Preservation, $"refined {runs["refined"]} vs network {runs["network"]}");
        Assert.True(runs["refined"].Realism > runs["network"].Realism, $"refined {runs["refined"]} vs network {runs["network"]}");
        Assert.True(runs["refined"].Realism > 0.98, $"refined {runs["refined"]}");
    }
}
