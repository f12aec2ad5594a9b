using NpEdit.Core.Config.Training;
using NpEdit.Core.Shards;
using NpEdit.ShapesWorld;
using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using NpEdit.Trainer.Training;
using ShapesEditType = NpEdit.ShapesWorld.Edits.EditType;

namespace NpEdit.Trainer.Tests.Training;

/// <summary>Edit rows from ShapesWorld (no VLM needed), a perturbed shapes-xs G_init, and a tiny training config.</summary>
internal static class TrainingFixtures
{
    /// <summary><paramref name="n"/> valid ShapesWorld edits as shard rows (32 px sources), every type in turn.</summary>
    public static List<EditSample> Rows(int n, ulong corpusSeed = 3)
    {
        var types = Enum.GetValues<ShapesEditType>();
        var rows = new List<EditSample>();
        for (long k = 0; rows.Count < n; k++)
        {
            var sceneSeed = SeedRanges.CorpusSceneSeed(corpusSeed, k);
            var type = types[rows.Count % types.Length];
            var source = ShapesWorld.Scenes.SceneSampler.Sample(sceneSeed);
            if (type == ShapesEditType.Customization && EditApplier.ProminentObject(source) is null)
                continue;
            var item = EditPrograms.Create(source, sceneSeed, type, sceneSeed ^ 0x5EED);
            if (!item.IsValid)
                continue;
            var png = Renderer.RenderPng(item.Source, 32);
            rows.Add(new EditSample
            {
                Id = item.Id,
                SourceId = $"{sceneSeed:x16}",
                SourceImage = new HfImage { Bytes = png, Path = $"{item.Id}.png" },
                SourceSha256 = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(png)).ToLowerInvariant(),
                SourceCaption = Captioner.Describe(item.Source, sceneSeed).Detailed,
                Instruction = item.Instruction,
                EditType = CoreType(type),
                EditedCaption = item.EditedCaption,
                ObjectName = item.ObjectName ?? "",
                Task = type == ShapesEditType.Customization ? EditTask.Customization : EditTask.Local,
                Model = "shapesworld",
                PromptVersion = "test",
                CreatedAt = DateTime.UnixEpoch,
            });
        }
        return rows;
    }

    /// <summary>Rows wrapped as examples of one in-memory "shard".</summary>
    public static List<EditExample> Examples(int n) => Rows(n).Select((r, i) => new EditExample(r, "memory", i)).ToList();

    public static string CoreType(ShapesEditType type) => type switch
    {
        ShapesEditType.Adjust => Core.Shards.EditType.Shape,
        _ => type.ToString().ToLowerInvariant(),
    };

    /// <summary>A shapes-xs G_init whose words cover the rows' captions and instructions, perturbed so zero-initialised paths carry signal.</summary>
    public static (DiT DiT, ShapesTextEncoder Text, GeneratorConfig Config) Init(IEnumerable<EditSample> rows, long seed = 5)
    {
        TorchTestEnvironment.Initialize(seed);
        var words = rows.SelectMany(r => $"{r.SourceCaption} {r.Instruction} {r.EditedCaption} do nothing low quality artifacts".ToLowerInvariant()
                .Split([' ', ',', '.', '\'', '"'], StringSplitOptions.RemoveEmptyEntries))
            .Distinct().OrderBy(w => w, StringComparer.Ordinal).ToList();
        var preset = ModelPresets.ShapesXs;
        var dit = new DiT(preset.DiT);
        var text = new ShapesTextEncoder(preset.Text, words);
        TinyModels.Perturb(dit, seed);
        return (dit, text, new GeneratorConfig(preset.Name, preset.DiT, preset.Text, text.Tokenizer.Words));
    }

    /// <summary>A fast config: batch 4, one warmup step, one single-step step, one A_φ update, no logit ramp.</summary>
    public static NpEditConfig Config(Objective objective = Objective.Full) => new()
    {
        Generator = new GeneratorSection { Init = "in-memory" },
        Critic = new CriticSection { Checkpoint = "in-memory" },
        Data = new DataSection { Shards = ["in-memory"], BatchSize = 4, Seed = 1 },
        Loss = new LossSection { Objective = objective, DoNothingProbability = 0 },
        Schedule = new ScheduleSection { Steps = 6, WarmupSteps = 1, SingleStepSteps = 1, AuxUpdates = 1 },
        Optim = new OptimSection { Lr = 1e-3, AuxLr = 1e-3 },
        Run = new RunSection { Seed = 2, MetricsEvery = 2, CheckpointEvery = 3, SamplesEvery = 1000, SampleGridItems = 2 },
    };

    /// <summary>A batch of the first <paramref name="n"/> examples at the trainer's size.</summary>
    public static EditBatch Batch(NpEditTrainer trainer, IReadOnlyList<EditExample> examples) =>
        EditBatch.Load(examples, trainer.ImageSize, trainer.Device);

    /// <summary>Copies of every parameter, to compare before and after an update.</summary>
    public static TorchSharp.torch.Tensor[] Snapshot(TorchSharp.torch.nn.Module module) =>
        module.parameters().Select(p => p.detach().clone()).ToArray();

    public static bool Same(TorchSharp.torch.Tensor[] before, TorchSharp.torch.nn.Module module) =>
        before.Zip(module.parameters()).All(pair => pair.First.Equals(pair.Second.detach()));
}
