using System.Security.Cryptography;
using DuckDB.NET.Data;

namespace NpEdit.DatasetBuilder.Tests.Build;

/// <summary>Reads a dataset's shards with DuckDB (an independent Parquet reader): row ids, types, tasks and image hashes.</summary>
public static class ShardReadBack
{
    public sealed record Row(string Id, string EditType, string Task, string Instruction, string EditedCaption, string ObjectName,
        string PromptVersion, string SourceSha256, string ImageSha256);

    public static async Task<List<Row>> ReadAsync(string outputDir)
    {
        await using var duck = new DuckDBConnection("DataSource=:memory:");
        await duck.OpenAsync();
        await using var cmd = duck.CreateCommand();
        cmd.CommandText = $"""
            SELECT id, edit_type, task, instruction, edited_caption, object_name, prompt_version, source_sha256, source_image.bytes
            FROM read_parquet('{Path.Combine(outputDir, "data", "*.parquet")}')
            """;
        var rows = new List<Row>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            using var blob = reader.GetStream(8);
            rows.Add(new Row(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), reader.GetString(7), Convert.ToHexStringLower(await SHA256.HashDataAsync(blob))));
        }
        return rows;
    }
}
