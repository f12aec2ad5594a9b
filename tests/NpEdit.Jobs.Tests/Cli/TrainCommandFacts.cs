using NpEdit.Core.Config;
using NpEdit.Core.Config.Training;
using NpEdit.Core.Database;
using NpEdit.Core.Shards;
using NpEdit.ShapesWorld;
using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.Testing;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Critic;
using NpEdit.Trainer.Models.Text;
using NpEdit.Trainer.Runtime;
using ShapesEditType = NpEdit.ShapesWorld.Edits.EditType;

namespace NpEdit.Jobs.Tests.Cli;

/// <summary>`npedit train` as a child process on a tiny G_init and ShapesWorld shards, with its own embedded cluster.</summary>
public sealed class TrainCommandFacts : IAsyncLifetime
{
    private readonly IsolatedHome home = new();
    private readonly TempDirectory temp = new("npedit-train-cli");

    public Task InitializeAsync() => home.InitializeAsync();

    public async Task DisposeAsync()
    {
        await home.DisposeAsync();
        temp.Dispose();
    }

    [Fact]
    public async Task Train_OnlyDmd_FinishesWithACheckpoint_AndResumeContinuesTheSameRun()
    {
        var config = await WriteExperimentAsync("only_dmd");

        var first = await NpeditProcess.RunAsync(home.Environment, "train", "--config", config);
        var again = await NpeditProcess.RunAsync(home.Environment, "train", "--config", config);
        var resumed = await NpeditProcess.RunAsync(home.Environment, "train", "--config", config, "--resume", "--set", "schedule.steps=3");
        var longer = await NpeditProcess.RunAsync(home.Environment, "train", "--config", config, "--set", "schedule.steps=4");

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("done", first.Output);
        Assert.Contains("step      3/3", first.Output);
        var checkpoints = Directory.GetDirectories(Path.Combine(temp.Path, "runs"), "step-00000003", SearchOption.AllDirectories);
        Assert.Single(checkpoints);
        Assert.True(File.Exists(Path.Combine(checkpoints[0], "generator.safetensors")));
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("--resume", again.Output);
        Assert.True(resumed.ExitCode == 0, resumed.Output);
        Assert.Contains("resumed at step 3", resumed.Output);
        Assert.True(longer.ExitCode == 0, longer.Output);   // another config is another run
        Assert.Contains("(new)", longer.Output);
    }

    [Fact]
    public async Task Train_Full_TrainsWithTheCriticFromItsCheckpoint()
    {
        var config = await WriteExperimentAsync("full");
        WriteTinyCritic(Path.Combine(temp.Path, "critic.safetensors"));

        var run = await NpeditProcess.RunAsync(home.Environment, "train", "--config", config);

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("done: 3 steps, 0 skipped", run.Output);
    }

    [Fact]
    public async Task Train_NamesTheCriticKey_WhenTheCheckpointIsMissing()
    {
        var config = await WriteExperimentAsync("full");

        var run = await NpeditProcess.RunAsync(home.Environment, "train", "--config", config);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("critic.checkpoint", run.Output);
        Assert.Contains("does not exist", run.Output);
        Assert.DoesNotContain("   at ", run.Output);
    }

    [Fact]
    public async Task Train_NamesTheKey_WhenAnOverrideIsMisspelt()
    {
        var config = await WriteExperimentAsync("only_dmd");

        var run = await NpeditProcess.RunAsync(home.Environment, "train", "--config", config, "--set", "loss.lamda_vlm=1");

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("unknown config key 'loss.lamda_vlm'", run.Output);
        Assert.Contains("Did you mean 'loss.lambda_vlm'", run.Output);
    }

    [Fact]
    public void EveryExperimentFile_LoadsIntoTheTrainingConfig()
    {
        var root = ProjectPaths.FindRepositoryRoot() ?? throw new InvalidOperationException("repository root not found");
        var files = Directory.GetFiles(Path.Combine(root, "experiments"), "e*-npedit-*.yaml");

        Assert.NotEmpty(files);
        Assert.All(files, file =>
        {
            var config = ConfigLoader.Load<NpEditConfig>(file).Value;
            Assert.Equal(Path.GetFileNameWithoutExtension(file), config.Experiment);
        });
    }

    /// <summary>A saved shapes-xs G_init, one shard of ShapesWorld edits, and a 3-step experiment file.</summary>
    private async Task<string> WriteExperimentAsync(string objective)
    {
        var rows = Rows(8);
        var shard = Path.Combine(temp.Path, "shards", "part-0.parquet");
        await ShardWriter.WriteAsync(shard, rows);

        TorchRuntime.Initialize(DeviceSpec.Cpu);
        var words = rows.SelectMany(r => $"{r.SourceCaption} {r.Instruction} {r.EditedCaption}".ToLowerInvariant()
            .Split([' ', ',', '.'], StringSplitOptions.RemoveEmptyEntries)).Distinct().Order().ToList();
        var preset = ModelPresets.ShapesXs;
        using var dit = new DiT(preset.DiT);
        using var text = new ShapesTextEncoder(preset.Text, words);
        var init = Path.Combine(temp.Path, "g_init.safetensors");
        GeneratorCheckpoint.Save(init, dit, text, new GeneratorConfig(preset.Name, preset.DiT, preset.Text, text.Tokenizer.Words));

        var config = Path.Combine(temp.Path, $"{objective}.yaml");
        await File.WriteAllTextAsync(config, $"""
            experiment: cli-{objective}
            generator:
              init: {init}
            critic:
              checkpoint: {Path.Combine(temp.Path, "critic.safetensors")}
            data:
              shards: [{Path.GetDirectoryName(shard)}]
              batch_size: 2
            loss:
              objective: {objective}
            schedule:
              steps: 3
              warmup_steps: 1
              single_step_steps: 1
              aux_updates: 1
            optim:
              lr: 1.0e-3
              aux_lr: 1.0e-3
            run:
              device: cpu
              metrics_every: 1
              checkpoint_every: 2
              samples_every: 3
              sample_grid_items: 1
              output_root: {Path.Combine(temp.Path, "runs")}
            """);
        return config;
    }

    /// <summary>A tiny LLaVA-OneVision critic (random weights, word tokenizer) saved the way 'npedit pretrain critic' saves one.</summary>
    private static void WriteTinyCritic(string path)
    {
        TorchRuntime.Initialize(DeviceSpec.Cpu);
        var tokenizer = new CriticWordTokenizer(["yes", "no", "user", "assistant", "answer", "with", "a", "or", "if", "the", "image", "has", "second", "first"]);
        var model = new LlavaOnevisionConfig
        {
            VisionConfig = new SiglipVisionConfig { HiddenSize = 24, IntermediateSize = 48, NumHiddenLayers = 1, NumAttentionHeads = 2, ImageSize = 16, PatchSize = 4 },
            TextConfig = new Qwen2TextConfig
            {
                VocabSize = tokenizer.VocabularySize, HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1,
                NumAttentionHeads = 4, NumKeyValueHeads = 2, RopeTheta = 10000, TieWordEmbeddings = true,
            },
            ImageTokenIndex = tokenizer.ImageTokenId,
        };
        var config = new CriticConfig
        {
            Name = "tiny", Model = model, Words = [.. tokenizer.Words],
            YesTokenId = tokenizer.TokenId("Yes"), NoTokenId = tokenizer.TokenId("No"),
        };
        using var critic = new LlavaOnevisionModel(model);
        CriticCheckpoint.Save(path, critic, config);
    }

    private static List<EditSample> Rows(int n)
    {
        var types = EditTypeNames.Local;
        var rows = new List<EditSample>();
        for (long k = 0; rows.Count < n; k++)
        {
            var sceneSeed = SeedRanges.CorpusSceneSeed(11, k);
            var item = EditPrograms.Create(sceneSeed, types[rows.Count % types.Count], sceneSeed ^ 0xE017);
            if (!item.IsValid)
                continue;
            var png = Renderer.RenderPng(item.Source, 32);
            rows.Add(new EditSample
            {
                Id = item.Id,
                SourceId = $"{sceneSeed:x16}",
                SourceImage = new HfImage { Bytes = png, Path = $"{item.Id}.png" },
                SourceCaption = Captioner.Describe(item.Source, sceneSeed).Detailed,
                Instruction = item.Instruction,
                EditType = item.Type == ShapesEditType.Adjust ? Core.Shards.EditType.Shape : item.Type.ToString().ToLowerInvariant(),
                EditedCaption = item.EditedCaption,
                ObjectName = item.ObjectName ?? "",
                Task = EditTask.Local,
            });
        }
        return rows;
    }
}
