using System.Globalization;
using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Serialization;

namespace NpEdit.Core.Shards;

/// <summary>Reads edit-dataset shards row group by row group, refusing files of another schema version.</summary>
public static class ShardReader
{
    public static async IAsyncEnumerable<EditSample> ReadAsync(string path, [EnumeratorCancellation] CancellationToken ct = default)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"Shard '{path}' does not exist; was the dataset built (npedit dataset status)?", path);
        int groups;
        await using (var reader = await ParquetReader.CreateAsync(path, cancellationToken: ct))
        {
            CheckVersion(path, reader.CustomMetadata);
            groups = reader.RowGroupCount;
        }
        for (var g = 0; g < groups; g++)
        {
            var result = await ParquetSerializer.DeserializeAsync<EditSample>(path, rowGroupIndex: g, cancellationToken: ct);
            foreach (var row in result.Data)
                yield return row;
        }
    }

    /// <summary>All rows of a shard (small shards, tests, inspection).</summary>
    public static async Task<List<EditSample>> ReadAllAsync(string path, CancellationToken ct = default)
    {
        var rows = new List<EditSample>();
        await foreach (var row in ReadAsync(path, ct))
            rows.Add(row);
        return rows;
    }

    private static void CheckVersion(string path, IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(ShardSchema.VersionKey, out var text))
            throw new InvalidDataException(
                $"'{path}' is not an NpEdit edit-dataset shard (no '{ShardSchema.VersionKey}' metadata); build datasets with 'npedit dataset build'.");
        var version = int.Parse(text, CultureInfo.InvariantCulture);
        if (version != ShardSchema.Version)
            throw new InvalidDataException(
                $"'{path}' has shard schema version {version}; this build reads version {ShardSchema.Version}. " +
                "Rebuild the dataset or use the matching npedit version.");
    }
}
