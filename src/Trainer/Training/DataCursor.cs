namespace NpEdit.Trainer.Training;

/// <summary>The data position stored with each checkpoint (<c>data.json</c>).</summary>
/// <param name="Sampler">The edit-row sampler's cursor (NP-Edit objectives).</param>
/// <param name="PairsDrawn">Ground-truth pairs drawn (<c>objective: sft</c>).</param>
public sealed record DataCursor(SamplerCursor? Sampler, long PairsDrawn);
