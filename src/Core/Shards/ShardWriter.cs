using System.Security.Cryptography;
using Parquet;
using Parquet.Serialization;

namespace NpEdit.Core.Shards;

/// <summary>
/// Writes edit-dataset shards. A shard goes to a temp file in the target folder and is renamed into place
/// only when complete, so a crash never leaves a half-written shard under the final name.
/// </summary>
public static class ShardWriter
{
    /// <summary>Rows per row group: the <c>datasets</c> default for image data (100).</summary>
    public const int RowGroupSize = 100;

    public static async Task<ShardInfo> WriteAsync(string path, IReadOnlyList<EditSample> rows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        foreach (var row in rows)
            Check(row);
        var tmp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await ParquetSerializer.SerializeAsync(rows, tmp,
                new ParquetOptions { RowGroupSize = RowGroupSize, CompressionMethod = CompressionMethod.Snappy },
                ShardSchema.FileMetadata(), ct);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            File.Delete(tmp);
        }
        await using var stream = File.OpenRead(full);
        var sha = Convert.ToHexString(await SHA256.HashDataAsync(stream, ct)).ToLowerInvariant();
        return new ShardInfo(full, rows.Count, stream.Length, sha);
    }

    private static void Check(EditSample row)
    {
        if (string.IsNullOrEmpty(row.Id) || row.SourceImage.Bytes.Length == 0 || string.IsNullOrWhiteSpace(row.Instruction))
            throw new ArgumentException($"Shard row '{row.Id}' lacks an id, a source image or an instruction.");
        if (!EditTask.IsKnown(row.Task))
            throw new ArgumentException($"Shard row '{row.Id}' has task '{row.Task}'; expected local or customization.");
        if (!EditType.IsKnown(row.EditType))
            throw new ArgumentException($"Shard row '{row.Id}' has edit type '{row.EditType}'; expected one of {string.Join(", ", EditType.Local)}, customization.");
    }
}
