using System.Text.Json.Nodes;
using NpEdit.Evaluator.GInit;
using NpEdit.Evaluator.Oracle;
using NpEdit.Evaluator.Tests.Oracle;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.Testing;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Models.Text;
using NpEdit.Trainer.Pretraining;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Tests.GInit;

/// <summary>
/// The oracle-based G_init measurement with the bundled oracle: true renders score what the oracle can read, a
/// render of another scene scores near chance, and the whole evaluation runs on a tiny shapes-xs checkpoint.
/// </summary>
[Collection(OracleCollection.Name)]
public sealed class GInitEvaluationFacts : IDisposable
{
    private static readonly T2IDataSection Demo = new() { MaxObjects = 2, FlatOnly = true };
    private readonly TempDirectory _dir = new();

    public GInitEvaluationFacts() => OracleTestEnvironment.InitializeTorch();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void True_32px_renders_score_about_the_oracles_accuracy_and_another_scenes_render_scores_low()
    {
        // The demo's held-out evaluation scenes, drawn at G_init's 32 px and read at the oracle's 64 px. The floors sit
        // about one object below what the bundled oracle scores on these 64 scenes (colour 99.0%, shape 86.4%, pooled
        // 96.0%; shape is the hardest at 32 px); raise them with a better oracle, never lower them to pass. Another
        // scene's render scores 12.3% pooled, 1.0% all three.
        var scenes = T2IPretrainJob.EvaluationScenes(Demo, 64);
        using var parser = OracleCheckpoint.Load(OracleCheckpoint.Resolve(null));
        var read = parser.Parse(scenes.Select(s => RgbImage.Render(s, 32)).ToArray());

        var truth = CaptionFidelityScorer.Score(scenes, read);
        var mismatched = CaptionFidelityScorer.Score(scenes, [.. read.Skip(1), read[0]]);

        var detail = $"true {string.Join(", ", truth.Rates)}; mismatched {string.Join(", ", mismatched.Rates)}";
        Assert.True(truth.InCellRate >= 0.99 && truth.BackgroundRate >= 0.98 && truth.EmptyKeptEmptyRate >= 0.99, detail);
        Assert.True(truth.ColorRate >= 0.98 && truth.ShapeRate >= 0.85, detail);
        Assert.True(truth.Agreement >= 0.955, detail);
        Assert.True(mismatched.AllThreeRate <= 0.05 && mismatched.Agreement <= 0.2, detail);
    }

    [Fact]
    public void A_tiny_checkpoint_is_sampled_with_its_own_eval_settings_read_and_drawn_into_a_grid()
    {
        var checkpoint = TinyCheckpoint(new JsonObject
        {
            ["data"] = new JsonObject { ["max_objects"] = 1, ["flat_only"] = true, ["corpus"] = "/a/corpus/that/is/gone" },
            ["eval"] = new JsonObject { ["guidance_scale"] = 1.5, ["sample_steps"] = 2 },
        });
        var grid = Path.Combine(_dir.Path, "grid", "oracle.png");

        var result = GInitEvaluation.Run(new GInitEvalOptions(checkpoint, grid) { Scenes = 6, GridScenes = 5, BatchSize = 4 }, CPU);

        Assert.Equal((2, 1.5, 1L, 7L), (result.SampleSteps, result.GuidanceScale, result.Seed, result.Step));
        Assert.Equal(6, result.Samples.Images);
        Assert.Equal(6, result.TrueRenders.Objects);   // max_objects 1 came from the stored config: one object per scene
        var scenes = T2IPretrainJob.EvaluationScenes(new T2IDataSection { MaxObjects = 1, FlatOnly = true }, 6);
        using (var parser = OracleCheckpoint.Load(OracleCheckpoint.Resolve(null)))   // read refined, the evaluation's default
            Assert.Equal(CaptionFidelityScorer.Score(scenes, parser.Parse(scenes.Select(s => RgbImage.Render(s, 16)).ToArray(), refine: true)), result.TrueRenders);
        Assert.True(result.Samples.Agreement < result.TrueRenders.Agreement, $"{result.Samples} vs {result.TrueRenders}");
        var (rgb, width, height) = PngCodec.Decode(File.ReadAllBytes(grid));
        var cell = 16 * 4;
        Assert.Equal((4 * (3 * cell + 4) + 4, 2 * (cell + 4) + 4), (width, height));   // 5 triplets, 4 per row
        var lines = File.ReadAllLines(Path.ChangeExtension(grid, ".txt"));
        Assert.Equal(6, lines.Length);
        Assert.Contains($"caption: {CompactCaption.Describe(scenes[0])} | oracle reads: ", lines[1]);
    }

    [Fact]
    public void Scene_filters_passed_in_replace_the_checkpoints_own_so_two_G_inits_meet_the_same_scenes()
    {
        // Trained on flat one-object scenes, read on scenes of every style with up to five objects (the editor's data).
        var checkpoint = TinyCheckpoint(new JsonObject
        {
            ["data"] = new JsonObject { ["max_objects"] = 1, ["flat_only"] = true },
            ["eval"] = new JsonObject { ["sample_steps"] = 1 },
        });
        var options = new GInitEvalOptions(checkpoint, Path.Combine(_dir.Path, "wide.png")) { Scenes = 8, GridScenes = 0, MaxObjects = 5, FlatOnly = false };

        var result = GInitEvaluation.Run(options, CPU);

        var scenes = T2IPretrainJob.EvaluationScenes(new T2IDataSection { MaxObjects = 5, FlatOnly = false }, 8);
        Assert.Equal(scenes.Sum(s => s.Objects.Count), result.TrueRenders.Objects);
        Assert.True(result.TrueRenders.Objects > 8, "several objects per scene");
        Assert.Throws<ArgumentException>(() => (options with { MaxObjects = 6 }).Validate());
    }

    [Fact]
    public void A_checkpoint_without_weights_or_config_or_in_latent_space_is_refused_with_what_to_pass()
    {
        var missing = Path.Combine(_dir.Path, "nowhere", "generator.safetensors");
        var noConfig = Path.Combine(_dir.Path, "bare.safetensors");
        File.WriteAllBytes(noConfig, [1, 2, 3]);
        var latent = TinyCheckpoint(null, dit => dit with { InChannels = 4 });

        var notFound = Assert.Throws<FileNotFoundException>(() => GInitCheckpoint.Load(missing, CPU));
        var configMissing = Assert.Throws<FileNotFoundException>(() => GInitCheckpoint.Load(noConfig, CPU));
        var notPixels = Assert.Throws<ArgumentException>(() => GInitCheckpoint.Load(latent, CPU));

        Assert.Contains("not found", notFound.Message);
        Assert.Contains("npedit pretrain t2i", notFound.Message);
        Assert.Contains("bare.config.json not found", configMissing.Message);
        Assert.Contains("pixel-space", notPixels.Message);
    }

    /// <summary>A shapes-xs generator at 16 px with perturbed weights (so samples depend on the caption), saved with <paramref name="training"/>.</summary>
    private string TinyCheckpoint(JsonObject? training, Func<DiTConfig, DiTConfig>? change = null)
    {
        var preset = ModelPresets.ShapesXs;
        var ditConfig = (change ?? (c => c))(preset.DiT);
        using var dit = new DiT(ditConfig);
        using var text = new ShapesTextEncoder(preset.Text, ShapesVocabulary.Words([]));
        using (no_grad())
        using (var generator = new TorchSharp.torch.Generator(3))
            foreach (var p in dit.parameters())
                p.add_(randn(p.shape, generator: generator) * 0.05);
        var path = Path.Combine(_dir.Path, $"g-init-{Guid.NewGuid():N}", "generator.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        GeneratorCheckpoint.Save(path, dit, text, new GeneratorConfig(preset.Name, ditConfig, preset.Text, text.Tokenizer.Words, Step: 7, Training: training));
        return path;
    }
}
