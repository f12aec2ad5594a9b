using NpEdit.Core.Shards;
using NpEdit.DatasetBuilder.Pipeline;

namespace NpEdit.DatasetBuilder.Manifest;

/// <summary>Everything a finished unit records in one transaction, after its shard is in place.</summary>
public sealed record UnitResult(
    ShardInfo Shard, int ImagesIn, IReadOnlyList<(string SourceId, string Reason)> Skipped, IReadOnlyDictionary<string, int> TypeCounts,
    int Duplicates, IReadOnlyList<VlmCallRecord> Calls, IReadOnlyList<ParseReject> Rejects);
