using NpEdit.Core.Shards;
using NpEdit.Core.Config.Training;
using NpEdit.Trainer.Models;
using NpEdit.Trainer.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Tests.Training;

/// <summary>Each ablation switch of Tables 3–4 changes exactly what it names.</summary>
public sealed class AblationSwitchFacts
{
    private static readonly List<EditExample> Examples = TrainingFixtures.Examples(12);

    private static NpEditConfig MainPhase(NpEditConfig config) =>
        config with { Schedule = config.Schedule with { WarmupSteps = 0, SingleStepSteps = 0, AuxUpdates = 1 } };

    private static NpEditTrainer Trainer(NpEditConfig config, TinyCritic? critic, DiT? editor = null)
    {
        var init = TrainingFixtures.Init(Examples.Select(e => e.Sample));
        using (init.DiT)
        using (init.Text)
            return new NpEditTrainer(config, init, critic, initEditor: editor);
    }

    private static IReadOnlyDictionary<string, double> OneStep(NpEditTrainer trainer, int n = 4) =>
        trainer.Step(TrainingFixtures.Batch(trainer, Examples.Take(n).ToList()));

    [Fact]
    public void OnlyDmd_DropsTheCritic_AndKeepsDmdAndTheAuxiliaryUpdates()
    {
        var critic = new TinyCritic();
        using var trainer = Trainer(MainPhase(TrainingFixtures.Config(Objective.OnlyDmd)), critic);

        var logs = OneStep(trainer);

        Assert.Empty(critic.Asked);
        Assert.DoesNotContain(logs.Keys, k => k.StartsWith("loss/vlm"));
        Assert.True(logs.ContainsKey("loss/dmd") && logs.ContainsKey("loss/aux"));
    }

    [Fact]
    public void OnlyVlm_DropsDmd_AndLeavesTheAuxiliaryModelAlone()
    {
        var critic = new TinyCritic();
        using var trainer = Trainer(MainPhase(TrainingFixtures.Config(Objective.OnlyVlm)), critic);
        var a = TrainingFixtures.Snapshot(trainer.Auxiliary);

        var logs = OneStep(trainer);

        Assert.NotEmpty(critic.Asked);
        Assert.True(logs.ContainsKey("loss/vlm"));
        Assert.DoesNotContain(logs.Keys, k => k is "loss/dmd" or "loss/aux");
        Assert.True(TrainingFixtures.Same(a, trainer.Auxiliary));
        Assert.Equal(0.01 * logs["loss/vlm"], logs["loss/total"], 5);
    }

    [Fact]
    public void Full_WeighsBothTerms_AsLambdaVlmPlusLambdaDmd()
    {
        var critic = new TinyCritic();
        var config = MainPhase(TrainingFixtures.Config());
        using var trainer = Trainer(config, critic);

        var logs = OneStep(trainer);   // the first four rows hold no customization, so λ_DMD = 0.5 throughout

        Assert.Equal(0.01 * logs["loss/vlm"] + 0.5 * logs["loss/dmd"], logs["loss/total"], 5);
    }

    [Fact]
    public void IdentityQuestion_Off_AsksOnlyTheEditQuestion()
    {
        var with = new TinyCritic();
        var without = new TinyCritic();
        using (var trainer = Trainer(MainPhase(TrainingFixtures.Config()), with))
            OneStep(trainer);
        var config = MainPhase(TrainingFixtures.Config()) with { Critic = new CriticSection { Checkpoint = "x", IdentityQuestion = false } };
        using (var trainer = Trainer(config, without))
            OneStep(trainer);

        var samples = Examples.Take(4).Select(e => e.Sample).ToList();
        Assert.Equal(samples.SelectMany(s => CriticQuestions.For(s, identity: true)).Select(q => q.Text).Order(), with.Asked.Select(a => a.Question).Order());
        Assert.Equal(samples.SelectMany(s => CriticQuestions.For(s, identity: false)).Select(q => q.Text).Order(), without.Asked.Select(a => a.Question).Order());
        Assert.Equal(2 * without.Asked.Count, with.Asked.Count);
    }

    [Theory]
    [InlineData(VlmLossKind.BceYesNo)]
    [InlineData(VlmLossKind.CeFullVocab)]
    public void VlmLossKind_UsesItsFormula_OnTheCriticLogits(VlmLossKind kind)
    {
        var critic = new TinyCritic();
        var config = MainPhase(TrainingFixtures.Config(Objective.OnlyVlm)) with
        {
            Critic = new CriticSection { Checkpoint = "x", IdentityQuestion = false },
            Loss = new LossSection { Objective = Objective.OnlyVlm, VlmLoss = kind, DoNothingProbability = 0 },
        };
        using var trainer = Trainer(config, critic);
        // Rows 0..3 are colour, texture, shape and add edits: one two-image question each, correct answer Yes.
        var logs = OneStep(trainer);

        var logits = cat(critic.Logits, 0);                                                   // (4, 16)
        var yes = logits.select(1, 1);
        var expected = kind == VlmLossKind.BceYesNo
            ? -nn.functional.logsigmoid(yes - logits.select(1, 2)).mean()                           // Eq. 4
            : nn.functional.cross_entropy(logits, full(4, 1L));                               // all 16 tokens
        Assert.Equal(expected.item<float>(), logs["loss/vlm_edit"], 4);
        Assert.NotEqual(kind == VlmLossKind.BceYesNo
            ? nn.functional.cross_entropy(logits, full(4, 1L)).item<float>()
            : -nn.functional.logsigmoid(yes - logits.select(1, 2)).mean().item<float>(), logs["loss/vlm_edit"], 4);
    }

    [Theory]
    [InlineData(false, "red circle center, grass, pixel art")]
    [InlineData(true, "red circle center, grass")]
    [InlineData(null, "red circle center, grass")]
    public void TeacherCaption_Compact_KeepsTheStyle_OnlyForAG_initPretrainedOnEveryStyle(bool? flatOnly, string expected)
    {
        // A G_init trained on every style reads a compact caption without one as flat; e001's (flat only) never saw style words.
        var config = MainPhase(TrainingFixtures.Config(Objective.OnlyDmd));
        config = config with { Loss = config.Loss with { TeacherCaption = TeacherCaption.Compact } };
        var init = TrainingFixtures.Init(Examples.Select(e => e.Sample));
        var training = flatOnly is { } f ? new System.Text.Json.Nodes.JsonObject { ["data"] = new System.Text.Json.Nodes.JsonObject { ["flat_only"] = f } } : null;
        using (init.DiT)
        using (init.Text)
        using (var trainer = new NpEditTrainer(config, (init.DiT, init.Text, init.Config with { Training = training }), null))
        {
            var sample = new EditSample { EditedCaption = "A pixel art showing a small red circle in the center, on a grassy meadow." };

            Assert.Equal(expected, trainer.TeacherPrompt(sample));
        }
    }

    [Fact]
    public void TeacherCaption_Compact_RewordsOnlyWhatTheTeacherAndAuxiliaryRead()
    {
        var edited = MainPhase(TrainingFixtures.Config(Objective.OnlyDmd));
        var compact = edited with { Loss = edited.Loss with { TeacherCaption = TeacherCaption.Compact } };
        using var asWritten = Trainer(edited, null);
        using var reworded = Trainer(compact, null);
        var sample = Examples[0].Sample;

        var logsAsWritten = OneStep(asWritten);
        var logsReworded = OneStep(reworded);

        Assert.Equal(sample.EditedCaption, asWritten.TeacherPrompt(sample));
        Assert.Equal(NpEdit.Trainer.Pretraining.CompactCaptionRewriter.Rewrite(sample.EditedCaption), reworded.TeacherPrompt(sample));
        Assert.NotEqual(sample.EditedCaption, reworded.TeacherPrompt(sample));
        Assert.Equal(logsAsWritten["unroll/t"], logsReworded["unroll/t"]);        // G_θ's pass and the step's draws are the same
        Assert.NotEqual(logsAsWritten["loss/dmd"], logsReworded["loss/dmd"]);      // the teacher's and A_φ's x̂0 are not
        Assert.NotEqual(logsAsWritten["loss/aux"], logsReworded["loss/aux"]);
    }

    [Fact]
    public void PrecisionAndTwoPass_AreConfigValues_AndTwoPassNeedsAGrid()
    {
        var required = new System.Text.Json.Nodes.JsonObject
        {
            ["data"] = new System.Text.Json.Nodes.JsonObject { ["shards"] = new System.Text.Json.Nodes.JsonArray("a.parquet") },
            ["generator"] = new System.Text.Json.Nodes.JsonObject { ["init"] = "g" },
            ["critic"] = new System.Text.Json.Nodes.JsonObject { ["checkpoint"] = "c" },
        };
        var config = NpEdit.Core.Config.ConfigLoader.Resolve<NpEditConfig>(required, sets: ["run.precision=bf16", "schedule.unroll=two_pass"]).Value;

        Assert.Equal(Precision.Bf16, config.Run.Precision);
        Assert.Equal(UnrollPolicy.TwoPass, config.Schedule.Unroll);
        Assert.Equal(Precision.Fp32, new NpEditConfig().Run.Precision);
        Assert.Contains((config with { Schedule = config.Schedule with { SamplerSteps = 1 } }).Validate(), e => e.Contains("two_pass", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(UnrollPolicy.PaperTwoPass, true)]
    [InlineData(UnrollPolicy.SingleStep, false)]
    [InlineData(UnrollPolicy.TwoPass, true)]
    public void UnrollPolicy_DecidesWhetherSecondPassesHappen(UnrollPolicy policy, bool expectsTwoPass)
    {
        var config = TrainingFixtures.Config(Objective.OnlyDmd) with
        {
            Schedule = new ScheduleSection { WarmupSteps = 0, SingleStepSteps = 2, AuxUpdates = 0, Unroll = policy },
        };
        using var trainer = Trainer(config, null);

        var times = Enumerable.Range(0, 6).Select(_ => OneStep(trainer, 1)["unroll/t"]).ToList();

        Assert.All(times.Take(2), t => Assert.Equal(1.0, t));                  // the single-step phase
        Assert.All(times, t => Assert.Contains(t, new[] { 1.0, 0.75, 0.5, 0.25 }));
        Assert.Equal(expectsTwoPass, times.Skip(2).Any(t => t < 1));
        if (policy == UnrollPolicy.TwoPass)
            Assert.All(times.Skip(2), t => Assert.True(t < 1));               // every step after the single-step phase
    }

    [Fact]
    public void InitEditor_StartsOnlyTheGeneratorFromTheSftEditor()
    {
        TorchTestEnvironment.Initialize(99);
        using var editor = new DiT(ModelPresets.ShapesXs.DiT);
        TinyModels.Perturb(editor, 99);
        var init = TrainingFixtures.Init(Examples.Select(e => e.Sample));
        var initState = init.DiT.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        init.DiT.Dispose();
        init.Text.Dispose();

        using var trainer = Trainer(TrainingFixtures.Config(Objective.OnlyDmd), null, editor);

        var editorState = editor.state_dict();
        Assert.All(trainer.Generator.state_dict(), kv => Assert.True(kv.Value.Equals(editorState[kv.Key]), kv.Key));
        Assert.All(trainer.Auxiliary.state_dict(), kv => Assert.True(kv.Value.Equals(initState[kv.Key]), kv.Key));
        Assert.All(trainer.Teacher.state_dict(), kv => Assert.True(kv.Value.Equals(initState[kv.Key]), kv.Key));
    }

    [Fact]
    public void Sft_TrainsOnGroundTruthPairs_WithoutCriticOrAuxiliaryModel()
    {
        var critic = new TinyCritic();
        using var trainer = Trainer(TrainingFixtures.Config(Objective.Sft), critic);
        var (g, a) = (TrainingFixtures.Snapshot(trainer.Generator), TrainingFixtures.Snapshot(trainer.Auxiliary));
        var pairs = new GroundTruthPairs(corpusSeed: 7);
        var (inputs, targets, instructions) = pairs.Next(3, trainer.ImageSize, trainer.Device);

        var logs = trainer.SftStep(inputs, targets, instructions);

        Assert.True(logs["loss/sft"] > 0);
        Assert.False(inputs.Equals(targets));
        Assert.Empty(critic.Asked);
        Assert.False(TrainingFixtures.Same(g, trainer.Generator));
        Assert.True(TrainingFixtures.Same(a, trainer.Auxiliary));
        Assert.Throws<InvalidOperationException>(() => OneStep(trainer));
    }
}
