using NpEdit.ShapesWorld;
using NpEdit.ShapesWorld.Edits;
using NpEdit.ShapesWorld.Evaluation;
using NpEdit.ShapesWorld.Rendering;
using static TorchSharp.torch;

namespace NpEdit.Trainer.Training;

/// <summary>
/// (input, instruction, target) pairs for the supervised baseline (paper Table 4, "SFT"). Paired data exists only
/// in ShapesWorld, and only behind its evaluation API: the targets come from <see cref="GroundTruth"/>, and this
/// class is built only when <c>loss.objective</c> is <c>sft</c>. Item k is a function of (corpus seed, k), so the
/// cursor is a count.
/// </summary>
public sealed class GroundTruthPairs(ulong corpusSeed, int renderSize = 64)
{
    /// <summary>Items drawn so far (the data cursor of an SFT run).</summary>
    public long Drawn { get; set; }

    /// <summary>The next <paramref name="n"/> valid pairs at <paramref name="size"/>².</summary>
    /// <returns>Inputs y and targets, both (N, 3, S, S) in [−1, 1], and the instructions.</returns>
    public (Tensor Inputs, Tensor Targets, string[] Instructions) Next(int n, int size, Device device)
    {
        using var scope = NewDisposeScope();
        var inputs = new List<Tensor>();
        var targets = new List<Tensor>();
        var instructions = new List<string>();
        while (instructions.Count < n)
        {
            var k = Drawn++;
            var item = EditPrograms.Sample(SeedRanges.CorpusSceneSeed(corpusSeed, k), SplitMix64.Mix(corpusSeed + (ulong)k),
                new EditProgramOptions { InvalidFraction = 0 });
            if (!item.IsValid)
                continue;
            inputs.Add(ImageTensors.FromRgb(Renderer.Render(item.Source, renderSize), renderSize, renderSize, size));
            targets.Add(ImageTensors.FromRgb(GroundTruth.TargetImageOf(item, renderSize), renderSize, renderSize, size));
            instructions.Add(item.Instruction);
        }
        return (stack(inputs).to(device).MoveToOuterDisposeScope(), stack(targets).to(device).MoveToOuterDisposeScope(), instructions.ToArray());
    }
}
