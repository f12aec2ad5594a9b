using System.Text.RegularExpressions;
using NpEdit.Core.Config;
using NpEdit.Core.Database;
using NpEdit.Core.Tracking;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;
using NpEdit.Jobs.Tests.Support;
using NpEdit.Testing;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Critic.Shapes;
using NpEdit.Trainer.Runtime;
using static TorchSharp.torch;

namespace NpEdit.Jobs.Tests.Cli;

/// <summary><c>npedit pretrain critic</c> and <c>npedit critic ask</c> as separate processes, and the tracked run on a real database.</summary>
public sealed partial class CriticCommandFacts : IAsyncLifetime
{
    private readonly IsolatedHome _home = new();
    private readonly TestDatabase _database = new();
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("npedit-critic-cli-");

    // One torch thread: on a busy shared CPU two spinning OpenMP threads slow tiny models down many times.
    private Dictionary<string, string?> Env => new(_home.Environment) { ["NPEDIT_TORCH_THREADS"] = "1" };

    public async Task InitializeAsync()
    {
        await _home.InitializeAsync();
        await _database.InitializeAsync();
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        await _home.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [GeneratedRegex(@"p\(Yes\) = (0|1)\.\d{4}")]
    private static partial Regex Probability();

    [Fact]
    public async Task PretrainThenAsk_PrintsAccuracyPerFamily_ThenAProbability()
    {
        var checkpoint = Path.Combine(_folder.FullName, "critic.safetensors");
        var experiment = Path.Combine(_folder.FullName, "critic.yaml");
        await File.WriteAllTextAsync(experiment, "steps: 3\nedit_steps: 1\nheld_out_pairs_per_family: 2\n");
        string[] settings = ["--device", "cpu", "--config", experiment, "--set", "steps=2", "--set", "batch_size=3", "--set", "held_out_per_family=2",
            "--set", "eval_every=2", "--set", "vision_steps=2", "--set", "vision_batch_size=3", "--set", "caption_steps=2", "--render-workers", "2"];
        var pretrain = await NpeditProcess.RunAsync(Env, ["pretrain", "critic", "--out", checkpoint, .. settings]);

        Assert.True(pretrain.ExitCode == 0, pretrain.Output);
        Assert.All(CriticExample.Families, f => Assert.Contains(f, pretrain.Output));
        Assert.Contains("contrastive pairs", pretrain.Output);
        Assert.Contains("scene-label read-out (patches with an object): color", pretrain.Output);
        Assert.True(File.Exists(checkpoint) && File.Exists(Path.ChangeExtension(checkpoint, ".config.json")));
        // The file's keys, then --set over them: the run row holds the resolved config.
        await using (var home = await NpEditDatabase.OpenAsync(await new EmbeddedPostgres(Path.Combine(_home.Path, "pg")).EnsureRunningAsync()))
        await using (var conn = await home.OpenConnectionAsync())
        {
            var config = System.Text.Json.Nodes.JsonNode.Parse(await Dapper.SqlMapper.QuerySingleAsync<string>(conn,
                "SELECT config::text FROM npedit.runs WHERE kind = 'pretrain-critic' ORDER BY created_at DESC LIMIT 1"))!;
            Assert.Equal((2, 1, 2), ((int)config["steps"]!, (int)config["edit_steps"]!, (int)config["held_out_pairs_per_family"]!));

            // The same settings again: the run (keyed by them) is reused and its critic copied to the new --out, not
            // trained again over the run's metrics; --retrain trains it again.
            Task<(int Runs, DateTime Last)> Logged() => Dapper.SqlMapper.QuerySingleAsync<(int Runs, DateTime Last)>(conn,
                "SELECT count(DISTINCT r.id)::int, max(m.wall_time) FROM npedit.runs r JOIN npedit.metrics m ON m.run_id = r.id WHERE r.kind = 'pretrain-critic'");
            var before = await Logged();
            var copy = Path.Combine(_folder.FullName, "again", "critic.safetensors");
            var again = await NpeditProcess.RunAsync(Env, ["pretrain", "critic", "--out", copy, .. settings]);
            Assert.True(again.ExitCode == 0, again.Output);
            Assert.Contains($"already pretrained a critic with exactly these settings ({checkpoint})", OneLine(again.Output));
            Assert.Contains("identity", again.Output);
            Assert.Equal(await File.ReadAllBytesAsync(checkpoint), await File.ReadAllBytesAsync(copy));
            Assert.Equal(await File.ReadAllTextAsync(Path.ChangeExtension(checkpoint, ".config.json")), await File.ReadAllTextAsync(Path.ChangeExtension(copy, ".config.json")));
            Assert.Equal(before, await Logged());

            var retrained = await NpeditProcess.RunAsync(Env, ["pretrain", "critic", "--out", copy, "--retrain", .. settings]);
            Assert.True(retrained.ExitCode == 0, retrained.Output);
            Assert.DoesNotContain("already pretrained", OneLine(retrained.Output));
            var after = await Logged();
            Assert.Equal(before.Runs, after.Runs);
            Assert.True(after.Last > before.Last, $"--retrain logged nothing new ({before.Last:O} → {after.Last:O})");
        }

        var (a, b) = (WritePng("a.png", 1), WritePng("b.png", 2));
        var asks = await Task.WhenAll(
            NpeditProcess.RunAsync(Env, "critic", "ask", "--checkpoint", checkpoint, "--image", a, "--image", b,
                "--question", "Answer with a Yes or No if the second image is exactly the same as the first image."),
            NpeditProcess.RunAsync(Env, "critic", "ask", "--checkpoint", checkpoint, "--image", a,
                "--question", "Answer with a Yes or No if the image has red circle."));
        var (two, one) = (asks[0], asks[1]);

        Assert.True(two.ExitCode == 0, two.Output);
        Assert.Matches(Probability(), two.Output);
        Assert.True(one.ExitCode == 0, one.Output);
        Assert.Matches(Probability(), one.Output);
    }

    [Fact]
    public async Task Ask_ExplainsBadInputs()
    {
        var a = WritePng("a.png", 1);
        var notPng = Path.Combine(_folder.FullName, "note.png");
        await File.WriteAllTextAsync(notPng, "not an image");
        var badConfig = Path.Combine(_folder.FullName, "bad.yaml");
        await File.WriteAllTextAsync(badConfig, "steps: 10\npresense_steps: 5\n");

        var runs = await Task.WhenAll(
            NpeditProcess.RunAsync(Env, "critic", "ask", "--checkpoint", Path.Combine(_folder.FullName, "none.safetensors"), "--image", a, "--question", "q"),
            NpeditProcess.RunAsync(Env, "critic", "ask", "--checkpoint", "x", "--image", a, "--image", a, "--image", a, "--question", "q"),
            NpeditProcess.RunAsync(Env, "pretrain", "critic", "--set", "no_such_key=1"),
            NpeditProcess.RunAsync(Env, "critic", "ask", "--checkpoint", "x", "--image", notPng, "--question", "q"),
            NpeditProcess.RunAsync(Env, "pretrain", "critic", "--render-workers", "-1"),
            NpeditProcess.RunAsync(Env, "pretrain", "critic", "--config", badConfig),
            NpeditProcess.RunAsync(Env, "pretrain", "critic", "--config", Path.Combine(_folder.FullName, "none.yaml")));
        var (missing, three, badKey, notAnImage, badWorkers, badConfigKey, noConfig) = (runs[0], runs[1], runs[2], runs[3], runs[4], runs[5], runs[6]);

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("not found", OneLine(missing.Output));
        Assert.Equal(1, three.ExitCode);
        Assert.Contains("one or two --image", OneLine(three.Output));
        Assert.Equal(1, badKey.ExitCode);
        Assert.Contains("no_such_key", OneLine(badKey.Output));
        Assert.Equal(1, notAnImage.ExitCode);
        Assert.Contains("cannot be read as a PNG", OneLine(notAnImage.Output));
        Assert.Equal(1, badWorkers.ExitCode);
        Assert.Contains("--render-workers must be between 0 and 64", OneLine(badWorkers.Output));
        Assert.Equal(1, badConfigKey.ExitCode);
        Assert.Contains("presense_steps", OneLine(badConfigKey.Output));
        Assert.Equal(1, noConfig.ExitCode);
        Assert.Contains("does not exist", OneLine(noConfig.Output));
    }

    [Fact]
    public void CriticExperimentFiles_LoadAndValidate()
    {
        var files = Directory.GetFiles(Path.Combine(RepoFiles.Root, "experiments"), "e*-critic-*.yaml");
        Assert.NotEmpty(files);
        foreach (var file in files)
            ConfigLoader.Load<CriticPretrainConfig>(file).Value.Validate();
        var e030 = ConfigLoader.Load<CriticPretrainConfig>(Path.Combine(RepoFiles.Root, "experiments", "e030-critic-question-first.yaml")).Value;
        Assert.Equal(CriticPromptLayout.QuestionFirst, e030.Critic().PromptLayout);
        Assert.Equal((450, 900, 1.0), (e030.PresenceSteps, e030.EditSteps, e030.ContrastiveShare));
    }

    [Fact]
    public async Task PretrainRun_RecordsHeldOutAccuracyPerFamily_AsRunMetrics()
    {
        TorchRuntime.Initialize(DeviceSpec.Cpu, threads: 1);
        var resolved = ConfigLoader.Load<CriticPretrainConfig>(null, ["steps=2", "batch_size=3", "held_out_per_family=2", "eval_every=1", "vision_steps=2", "vision_batch_size=3", "caption_steps=2", "held_out_pairs_per_family=2"]);
        var path = Path.Combine(_folder.FullName, "run.safetensors");

        var outcome = await new CriticPretrainRun(_database.DataSource).RunAsync(resolved, path, CPU);

        var run = await new RunStore(_database.DataSource).GetAsync(outcome.RunId);
        Assert.Equal("finished", run!.Status);
        Assert.Equal("pretrain-critic", run.Kind);
        var latest = await new MetricStore(_database.DataSource).LatestAsync(outcome.RunId);
        Assert.All(CriticExample.Families, f => Assert.Equal((2L, outcome.Accuracy(f)), latest[$"heldout/accuracy/{f}"]));
        // Contrastive pairs of presence and edit verification (identity preservation has none), at every evaluation.
        Assert.All(new[] { CriticExample.Presence, CriticExample.Edit }, f =>
        {
            var (accuracy, bothRight) = outcome.Pairs(f)!.Value;
            Assert.Equal((2L, accuracy), latest[$"heldout/pairs/{f}/accuracy"]);
            Assert.Equal((2L, bothRight), latest[$"heldout/pairs/{f}/both_right"]);
            Assert.InRange(bothRight, 0, accuracy);
        });
        Assert.Null(outcome.Pairs(CriticExample.Identity));
        Assert.Equal(2, (await new MetricStore(_database.DataSource).HistoryAsync(outcome.RunId, "heldout/pairs/presence/accuracy")).Count);
        // What the image tokens carry, per patch label, at every evaluation.
        Assert.All(SceneLabels.ObjectLabelNames, n => Assert.InRange(latest[$"heldout/scene_labels/{n}"].Value, 0, 1));
        Assert.Equal(2, (await new MetricStore(_database.DataSource).HistoryAsync(outcome.RunId, "heldout/scene_labels/shape")).Count);
        Assert.Equal(2, (await new MetricStore(_database.DataSource).HistoryAsync(outcome.RunId, "loss")).Count);
        Assert.Equal(2, (await new MetricStore(_database.DataSource).HistoryAsync(outcome.RunId, "vision/loss")).Count);
        Assert.Equal(2, (await new MetricStore(_database.DataSource).HistoryAsync(outcome.RunId, "caption/loss")).Count);
        // The presets ask images first, where the grounding loss does not apply: no row for it, and no NaN anywhere.
        Assert.DoesNotContain("loss/grounding", latest.Keys);
        Assert.All(latest, kv => Assert.True(double.IsFinite(kv.Value.Value), $"{kv.Key} = {kv.Value.Value}"));
        Assert.Equal(Path.GetFullPath(path), (await new RunStore(_database.DataSource).TagsAsync(outcome.RunId))["checkpoint"]);
    }

    /// <summary>The console wraps long messages; compare on one line.</summary>
    private static string OneLine(string output) => Regex.Replace(output, @"\s+", " ");

    private string WritePng(string name, ulong seed)
    {
        var path = Path.Combine(_folder.FullName, name);
        File.WriteAllBytes(path, Renderer.RenderPng(SceneSampler.Sample(seed), 64));
        return path;
    }
}
