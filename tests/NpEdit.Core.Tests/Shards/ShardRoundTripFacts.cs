using System.Security.Cryptography;
using DuckDB.NET.Data;
using NpEdit.Core.Shards;
using NpEdit.Testing;

namespace NpEdit.Core.Tests.Shards;

public sealed class ShardRoundTripFacts : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static EditSample Sample(int i)
    {
        var image = new byte[64 + i];
        new Random(i).NextBytes(image);
        return new EditSample
        {
            Id = $"row-{i:D4}",
            SourceId = $"img-{i / 4}",
            SourceImage = new HfImage { Bytes = image, Path = $"img-{i / 4}.png" },
            SourceSha256 = Convert.ToHexString(SHA256.HashData(image)).ToLowerInvariant(),
            SourceCaption = "a red circle on a grass background",
            Instruction = i % 2 == 0 ? "change the circle to blue" : "remove the circle",
            EditType = i % 2 == 0 ? EditType.Color : EditType.Remove,
            EditedCaption = i % 2 == 0 ? "a blue circle on a grass background" : "a grass background",
            ObjectName = i % 2 == 0 ? "" : "circle",
            Task = EditTask.Local,
            ValidityReasoning = "the circle is clearly visible",
            Model = "shapesworld-annotator",
            PromptVersion = "app-d/v1",
            CreatedAt = new DateTime(2026, 11, 26, 12, 0, 0, DateTimeKind.Utc).AddSeconds(i),
        };
    }

    [Fact]
    public async Task WriteThenRead_ReturnsEveryFieldUnchanged_AcrossRowGroups()
    {
        var rows = Enumerable.Range(0, 250).Select(Sample).ToList();
        var path = Path.Combine(_dir.Path, "shard-00000.parquet");

        var info = await ShardWriter.WriteAsync(path, rows);
        var back = await ShardReader.ReadAllAsync(path);

        Assert.Equal(250, info.Rows);
        Assert.Equal(new FileInfo(path).Length, info.Bytes);
        Assert.Equal(250, back.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].Id, back[i].Id);
            Assert.Equal(rows[i].SourceImage.Bytes, back[i].SourceImage.Bytes);
            Assert.Equal(rows[i].Instruction, back[i].Instruction);
            Assert.Equal(rows[i].EditedCaption, back[i].EditedCaption);
            Assert.Equal(rows[i].ObjectName, back[i].ObjectName);
            Assert.Equal(rows[i].CreatedAt, back[i].CreatedAt.ToUniversalTime());
        }
        Assert.Empty(Directory.GetFiles(_dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task DuckDb_ReadsTheShard_WithHuggingFaceImageLayoutAndMetadata()
    {
        var rows = Enumerable.Range(0, 120).Select(Sample).ToList();
        var path = Path.Combine(_dir.Path, "shard-00001.parquet");
        await ShardWriter.WriteAsync(path, rows);

        await using var duck = new DuckDBConnection("DataSource=:memory:");
        await duck.OpenAsync();
        await using var cmd = duck.CreateCommand();
        cmd.CommandText = $"""
            SELECT count(*), sum(octet_length(source_image.bytes))::BIGINT, count(DISTINCT source_image.path),
                   count(*) FILTER (WHERE edit_type = 'remove')
            FROM read_parquet('{path}')
            """;
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(120L, reader.GetInt64(0));
            Assert.Equal(rows.Sum(r => (long)r.SourceImage.Bytes.Length), Convert.ToInt64(reader.GetValue(1)));
            Assert.Equal(30L, reader.GetInt64(2));
            Assert.Equal(60L, Convert.ToInt64(reader.GetValue(3)));
        }
        cmd.CommandText = $"SELECT source_image.bytes FROM read_parquet('{path}') WHERE id = 'row-0007'";
        Assert.Equal(rows[7].SourceImage.Bytes, ReadAll((await cmd.ExecuteScalarAsync())!));
        cmd.CommandText = $"SELECT decode(value) FROM parquet_kv_metadata('{path}') WHERE decode(key) = 'huggingface'";
        var features = (string)(await cmd.ExecuteScalarAsync())!;
        Assert.Contains("\"source_image\":{\"_type\":\"Image\"}", features);
    }

    [Fact]
    public async Task Read_Refuses_WhenTheFileIsNotAnEditShard()
    {
        var path = Path.Combine(_dir.Path, "other.parquet");
        await Parquet.Serialization.ParquetSerializer.SerializeAsync(new[] { new { X = 1 } }, path);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ShardReader.ReadAllAsync(path));

        Assert.Contains("not an NpEdit edit-dataset shard", error.Message);
    }

    [Fact]
    public async Task Write_Refuses_WhenARowHasAnUnknownEditType()
    {
        var bad = Sample(1);
        bad.EditType = "teleport";

        var error = await Assert.ThrowsAsync<ArgumentException>(() => ShardWriter.WriteAsync(Path.Combine(_dir.Path, "bad.parquet"), [bad]));

        Assert.Contains("teleport", error.Message);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "bad.parquet")));
    }

    private static byte[] ReadAll(object value) => value switch
    {
        byte[] b => b,
        Stream s => ToArray(s),
        _ => throw new InvalidCastException(value.GetType().Name),
    };

    private static byte[] ToArray(Stream s)
    {
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
