namespace NpEdit.Evaluator.Generation;

/// <summary>What a generation pass did: its output set, images made now, images found from an earlier pass, and time per image.</summary>
public sealed record GenerationSummary(Guid OutputSetId, string OutputDirectory, int Generated, int Skipped, double MillisecondsPerImage);
