using System.Text.Json.Nodes;
using NpEdit.Trainer.Models.Text;

namespace NpEdit.Trainer.Models;

/// <summary>
/// Everything needed to rebuild a generator from its weights: the resolved DiT and text encoder
/// configs and the tokenizer vocabulary. Stored as JSON next to each safetensors checkpoint.
/// </summary>
/// <param name="Preset">The preset the configs came from (informational; the configs are authoritative).</param>
/// <param name="DiT">Resolved DiT config.</param>
/// <param name="Text">Resolved text encoder config.</param>
/// <param name="Vocabulary">The tokenizer's words in id order.</param>
/// <param name="Step">Training steps done when saved.</param>
/// <param name="Training">The resolved config of the run that trained these weights (null when unknown).</param>
public sealed record GeneratorConfig(
    string Preset, DiTConfig DiT, TextEncoderConfig Text, IReadOnlyList<string> Vocabulary, long Step = 0, JsonObject? Training = null);
