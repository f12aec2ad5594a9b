using System.Security.Cryptography;
using Parquet.Serialization;
using NpEdit.Core.Shards;

namespace NpEdit.Trainer.Training;

/// <summary>
/// Source images of shard rows, read on demand: <see cref="EditDataset"/> keeps only the rows' text and position,
/// so a dataset far larger than memory streams through training one Parquet row group at a time. The last few
/// row groups read stay cached (consecutive draws of a type often share one).
/// </summary>
public sealed class ShardImages(int cachedGroups = 16)
{
    private readonly LinkedList<((string Shard, int Group) Key, IList<EditSample> Rows)> cache = new();

    /// <summary>One cache for the process: every run reads the same immutable shards.</summary>
    public static ShardImages Shared { get; } = new();

    /// <summary>The PNG bytes of each example's source image (in-memory rows are returned as they are).</summary>
    /// <exception cref="InvalidDataException">A shard changed since the dataset was read (its bytes no longer hash to the row's sha256).</exception>
    public byte[][] Load(IReadOnlyList<EditExample> examples)
    {
        lock (cache)
            return examples.Select(Load).ToArray();
    }

    private byte[] Load(EditExample example)
    {
        if (example.Sample.SourceImage.Bytes.Length > 0)
            return example.Sample.SourceImage.Bytes;
        var rows = Group(example.Shard, example.RowGroup);
        var row = example.InGroup < rows.Count ? rows[example.InGroup] : null;
        if (row is null || row.Id != example.Sample.Id
            || (example.Sample.SourceSha256.Length > 0 && Convert.ToHexStringLower(SHA256.HashData(row.SourceImage.Bytes)) != example.Sample.SourceSha256))
            throw new InvalidDataException($"Shard {example.Shard} changed while training (row {example.Row}, '{example.Sample.Id}'); shards must not be rewritten under a run.");
        return row.SourceImage.Bytes;
    }

    private IList<EditSample> Group(string shard, int group)
    {
        for (var node = cache.First; node is not null; node = node.Next)
        {
            if (node.Value.Key == (shard, group))
            {
                cache.Remove(node);
                cache.AddFirst(node);
                return node.Value.Rows;
            }
        }
        var rows = ParquetSerializer.DeserializeAsync<EditSample>(shard, rowGroupIndex: group).GetAwaiter().GetResult().Data;
        cache.AddFirst(((shard, group), rows));
        if (cache.Count > cachedGroups)
            cache.RemoveLast();
        return rows;
    }
}
