using NpEdit.Evaluator.Benchmarks;

namespace NpEdit.Evaluator.Judging;

/// <summary>What a judge sees for one item: the benchmark item, its source image and the editor's output (encoded files).</summary>
public sealed record JudgeInput(EvalItem Item, byte[] Source, byte[] Edited);
