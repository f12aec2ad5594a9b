using NpEdit.Core.Prompts;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Judging;
using NpEdit.Evaluator.Tests.Oracle;
using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.Testing;
using NpEdit.Trainer.Critic;
using NpEdit.Trainer.Critic.Shapes;
using NpEdit.Trainer.Models.Critic;
using static TorchSharp.torch;

namespace NpEdit.Evaluator.Tests.Judging;

/// <summary>
/// The critic as a judge answers exactly the VLM loss's questions: its per-question scores equal the critic's own
/// p(Yes) (or 1 − p(Yes) where the correct answer is No). An untrained ShapesWorld critic is enough to check that.
/// </summary>
[Collection(OracleCollection.Name)]
public class CriticJudgeFacts : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The mini preset's vocabulary, at a size that runs in a blink.</summary>
    private static LlavaOnevisionCritic UntrainedCritic()
    {
        OracleTestEnvironment.InitializeTorch();
        var mini = CriticPresets.ShapesMini();
        var config = mini with
        {
            Model = mini.Model with
            {
                VisionConfig = mini.Model.VisionConfig with { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1, NumAttentionHeads = 2, ImageSize = 16, PatchSize = 4 },
                TextConfig = mini.Model.TextConfig with { HiddenSize = 32, IntermediateSize = 64, NumHiddenLayers = 1 },
            },
        };
        return new LlavaOnevisionCritic(new LlavaOnevisionModel(config.Model), new CriticWordTokenizer(config.Words), config);
    }

    [Fact]
    public async Task Scores_are_the_critics_probability_of_the_correct_answer()
    {
        using var critic = UntrainedCritic();
        var judge = new CriticJudge(critic, CPU, "untrained shapes-mini");
        var set = await ShapesBench.WriteAsync(_dir.Path, new BenchOptions { ItemsPerType = 1 });
        var bench = await ShapesWorldBenchLoader.LoadAsync(set.Directory);

        foreach (var item in bench.Items.Where(i => i.Group is "color" or "remove"))
        {
            var source = item.LoadSource();
            var edited = PngCodec.Encode(GroundTruth.TargetImageOf(item.ShapesItem!, 64), 64, 64);
            var outcome = await judge.JudgeAsync(new JudgeInput(item, source, edited), 0, CancellationToken.None);

            Assert.Null(outcome.Failure);
            using var scope = NewDisposeScope();
            var reference = Imaging.ImageTensors.FromRgb([PngCodec.Decode(source).Rgb], 64, 64, CPU);
            var output = Imaging.ImageTensors.FromRgb([PngCodec.Decode(edited).Rgb], 64, 64, CPU);
            var instruction = new Dictionary<string, string> { ["edit_instruction"] = item.Instruction };
            var pEdit = item.Group == "remove"
                ? 1 - critic.ProbabilityYes(null, output, [PaperPrompts.RemovalPresence.FillUser(new Dictionary<string, string> { ["object_name"] = item.Subject! })]).item<float>()
                : critic.ProbabilityYes(reference, output, [PaperPrompts.EditVerification.FillUser(instruction)]).item<float>();
            var pIdentity = critic.ProbabilityYes(reference, output, [PaperPrompts.IdentityPreservation.FillUser(instruction)]).item<float>();
            Assert.Equal(pEdit, outcome.Scores["p_edit"], 4);
            Assert.Equal(pIdentity, outcome.Scores["p_identity"], 4);
            Assert.Equal((pEdit + pIdentity) / 2, outcome.Scores[CriticJudge.Score], 4);
        }
    }

    /// <summary>
    /// Judging from several items at once while another thread allocates (as the evaluate job does beside a second
    /// worker): a GC landing while libtorch reads an implicit Scalar freed its value mid-call ("Expected false to be
    /// true … toFloat", seen failing evaluate jobs of a grid) until the judge ran its torch calls under TorchGcGuard.
    /// </summary>
    [Fact]
    public async Task Judging_in_parallel_while_another_thread_allocates_gives_every_item_the_same_scores_as_alone()
    {
        using var critic = UntrainedCritic();
        var judge = new CriticJudge(critic, CPU, "untrained shapes-mini");
        var set = await ShapesBench.WriteAsync(_dir.Path, new BenchOptions { ItemsPerType = 2 });
        var inputs = (await ShapesWorldBenchLoader.LoadAsync(set.Directory)).Items
            .Select(i => new JudgeInput(i, i.LoadSource(), PngCodec.Encode(GroundTruth.TargetImageOf(i.ShapesItem!, 64), 64, 64))).ToArray();
        var alone = new List<double>();
        foreach (var input in inputs)
            alone.Add((await judge.JudgeAsync(input, 0, CancellationToken.None)).Scores[CriticJudge.Score]);

        using var stop = new CancellationTokenSource();
        var allocator = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < 64; i++)
                    GC.KeepAlive(new byte[64 << 10]);   // 4 MB of garbage, then a short pause: a busy neighbour, not a flood
                Thread.Sleep(2);
            }
        });
        try
        {
            for (var round = 0; round < 6; round++)
            {
                var scores = new double[inputs.Length];
                await Parallel.ForEachAsync(Enumerable.Range(0, inputs.Length), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
                    scores[i] = (await judge.JudgeAsync(inputs[i], 0, ct)).Scores[CriticJudge.Score]);
                Assert.Equal(alone, scores);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await allocator;
        }
    }
}
