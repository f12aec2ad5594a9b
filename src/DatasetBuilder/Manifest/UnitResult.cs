using NpEdit.Core.Shards;
using NpEdit.DatasetBuilder.Pipeline;

namespace NpEdit.DatasetBuilder.Manifest;

/// <summary>Everything a finished unit records in one transaction, after its shard is in place.</summary>
public sealed record UnitResult(
    ShardInfo Shard, int ImagesIn, IReadOnlyList<(string SourceId, string Reason)> Skipped, IReadOnlyDictionary<string, int> TypeCounts,
    int Duplicates, IReadOnlyList<VlmCallRecord> Calls, IReadOnlyList<ParseReject> Rejects)
{
    /// <summary>Instructions the validity check called invalid (App. D (b) keeps only the valid ones).</summary>
    public int InvalidInstructions { get; init; }

    /// <summary>Images the prominent-object check found without one central object (no customization rows).</summary>
    public int NotProminentImages { get; init; }
}
