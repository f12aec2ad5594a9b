namespace NpEdit.Evaluator.Storage;

/// <summary>One generated image as recorded in <c>npedit.eval_outputs</c>.</summary>
public sealed record EvalOutput(string ItemKey, string GroupName, string Path, string Sha256, int GenerationMs);
