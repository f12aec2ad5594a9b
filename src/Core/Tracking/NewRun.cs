using System.Text.Json.Nodes;

namespace NpEdit.Core.Tracking;

/// <summary>What a caller knows when it asks for a run: the resolved config identifies it within an experiment.</summary>
/// <param name="Experiment">Experiment name; created on first use.</param>
/// <param name="Kind">What the run does: <c>pretrain-t2i</c>, <c>train</c>, <c>dataset</c>, <c>eval</c>, …</param>
/// <param name="Config">The fully resolved config (defaults plus overrides).</param>
public sealed record NewRun(string Experiment, string Kind, JsonObject Config)
{
    public string? Name { get; init; }
    public string? GitSha { get; init; }
    public string? Device { get; init; }
    public string? JobId { get; init; }
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();
}
