using NpEdit.Core.Shards;
using Parquet;

namespace NpEdit.Trainer.Training;

/// <summary>
/// The training rows of a run, read through Core's shard schema (<see cref="ShardReader"/>). Only the text and
/// position of each row stay in memory; the images stream in per batch (<see cref="ShardImages"/>). Shard paths may
/// name files or folders of <c>*.parquet</c>.
/// </summary>
public sealed class EditDataset
{
    private EditDataset(IReadOnlyList<string> shards, IReadOnlyList<EditExample> rows)
    {
        Shards = shards;
        Rows = rows;
    }

    /// <summary>The shard files, in the order read.</summary>
    public IReadOnlyList<string> Shards { get; }

    /// <summary>Every row of every shard.</summary>
    public IReadOnlyList<EditExample> Rows { get; }

    /// <summary>Reads the shards named by <paramref name="paths"/> (files, or folders searched for <c>*.parquet</c>).</summary>
    public static async Task<EditDataset> LoadAsync(IReadOnlyList<string> paths, CancellationToken ct = default)
    {
        var shards = ResolveShards(paths);
        var rows = new List<EditExample>();
        foreach (var shard in shards)
        {
            List<long>? groupSizes = null;
            var (index, group, inGroup) = (0, 0, 0);
            await foreach (var sample in ShardReader.ReadAsync(shard, ct))
            {
                groupSizes ??= await RowGroupSizesAsync(shard, ct);   // after ShardReader has checked the schema version
                while (group < groupSizes.Count && inGroup >= groupSizes[group])
                    (group, inGroup) = (group + 1, 0);
                sample.SourceImage = new HfImage { Path = sample.SourceImage.Path };   // the bytes are re-read per batch
                rows.Add(new EditExample(sample, shard, index++, group, inGroup++));
            }
        }
        if (rows.Count == 0)
            throw new InvalidDataException($"The shards {string.Join(", ", shards)} hold no rows; build the dataset first ('npedit dataset build').");
        return new EditDataset(shards, rows);
    }

    private static async Task<List<long>> RowGroupSizesAsync(string shard, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(shard, cancellationToken: ct);
        var sizes = new List<long>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            sizes.Add(group.RowCount);
        }
        return sizes;
    }

    /// <summary>Expands folders into their <c>*.parquet</c> files (sorted, so the order is stable); missing paths are errors.</summary>
    public static IReadOnlyList<string> ResolveShards(IReadOnlyList<string> paths)
    {
        var shards = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var files = Directory.GetFiles(path, "*.parquet", SearchOption.AllDirectories)
                    .Where(f => !Path.GetFileName(f).StartsWith('.'))
                    .OrderBy(f => f, StringComparer.Ordinal)
                    .ToList();
                if (files.Count == 0)
                    throw new FileNotFoundException($"Folder '{path}' (data.shards) holds no .parquet shards; build the dataset first ('npedit dataset build').");
                shards.AddRange(files.Select(Path.GetFullPath));
            }
            else if (File.Exists(path))
            {
                shards.Add(Path.GetFullPath(path));
            }
            else
            {
                throw new FileNotFoundException($"data.shards names '{path}', which is neither a shard file nor a folder.", path);
            }
        }
        return shards.Distinct().ToList();
    }
}
