using System.Text.Json.Nodes;

namespace NpEdit.Evaluator.Storage;

/// <summary>What makes one set of editor outputs: the checkpoint (by content hash), benchmark, sampler steps, seed and folder.</summary>
public sealed record OutputSetSpec(string Checkpoint, string CheckpointSha256, string Benchmark, int SamplerSteps, long Seed, string Directory, JsonObject Config);
