namespace NpEdit.Evaluator.GInit;

/// <summary>The oracle's verdict on a G_init checkpoint, next to the same verdict on true renders of the same captions (the ceiling).</summary>
/// <param name="Step">Training steps of the checkpoint.</param>
/// <param name="Resolution">Pixels per side the generator draws (and the true renders are drawn at).</param>
/// <param name="Samples">The generator's images scored against their captions.</param>
/// <param name="TrueRenders">ShapesWorld renders of the same scenes at the same size, scored the same way.</param>
/// <param name="SampleSeconds">Wall time of sampling.</param>
/// <param name="ParseSeconds">Wall time of the oracle reading samples and renders.</param>
public sealed record GInitEvaluationResult(
    string Checkpoint, long Step, int Resolution, int SampleSteps, double GuidanceScale, long Seed, string Oracle,
    CaptionFidelity Samples, CaptionFidelity TrueRenders, string GridPath, double SampleSeconds, double ParseSeconds);
