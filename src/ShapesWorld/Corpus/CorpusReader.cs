using System.Text.Json;
using Parquet.Serialization;

namespace NpEdit.ShapesWorld.Corpus;

/// <summary>Reads a corpus written by <see cref="CorpusWriter"/> back into <see cref="CorpusRow"/>s.</summary>
public static class CorpusReader
{
    public static async Task<CorpusManifest> ReadManifestAsync(string directory, CancellationToken ct = default)
    {
        var path = Path.Combine(directory, CorpusManifest.FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path} not found; is {directory} a folder written by 'npedit world corpus'?", path);
        return JsonSerializer.Deserialize<CorpusManifest>(await File.ReadAllTextAsync(path, ct)) ?? throw new FormatException($"{path} is empty.");
    }

    public static async IAsyncEnumerable<CorpusRow> ReadAsync(string directory, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        var manifest = await ReadManifestAsync(directory, ct);
        foreach (var shard in manifest.Shards)
        {
            var result = await ParquetSerializer.DeserializeAsync<CorpusRow>(Path.Combine(directory, shard), cancellationToken: ct);
            foreach (var row in result.Data) yield return row;
        }
    }
}
