using System.Text.Json;
using NpEdit.Core.Config.Dataset;
using Parquet;
using Parquet.Serialization;

namespace NpEdit.DatasetBuilder.Inputs;

/// <summary>Reads the images of one unit's slice, with their captions and ids.</summary>
public static class InputReader
{
    public const string CaptionsFileName = "captions.jsonl";

    public static Task<IReadOnlyList<InputImage>> ReadAsync(InputSection input, UnitInput slice, CancellationToken ct = default) =>
        input.Kind switch
        {
            InputKind.Folder => ReadFolderAsync(slice, ct),
            InputKind.Parquet => ReadParquetAsync(slice, input.ImageColumn, input.CaptionColumn, input.IdColumn, ct),
            InputKind.ShapesWorld => ReadParquetAsync(slice, "image", "caption_detailed", "id", ct),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input.Kind, "unknown input kind"),
        };

    private static async Task<IReadOnlyList<InputImage>> ReadFolderAsync(UnitInput slice, CancellationToken ct)
    {
        var files = InputPlanner.FolderFiles(slice.File);
        var captions = await ReadCaptionsAsync(slice.File, ct);
        var images = new List<InputImage>(slice.Count);
        foreach (var relative in files.Skip(slice.Start).Take(slice.Count))
        {
            var bytes = await File.ReadAllBytesAsync(Path.Combine(slice.File, relative), ct);
            images.Add(new InputImage(relative, bytes, captions.GetValueOrDefault(relative, "")));
        }
        return images;
    }

    /// <summary><c>captions.jsonl</c>: one <c>{"file": "relative/path.png", "caption": "..."}</c> per line.</summary>
    private static async Task<Dictionary<string, string>> ReadCaptionsAsync(string folder, CancellationToken ct)
    {
        var path = Path.Combine(folder, CaptionsFileName);
        var captions = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
            return captions;
        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, ct))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var file = doc.RootElement.GetProperty("file").GetString();
                var caption = doc.RootElement.GetProperty("caption").GetString();
                if (file is not null && caption is not null)
                    captions[file] = caption;
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new FormatException($"{path} line {lineNumber} is not {{\"file\": \"...\", \"caption\": \"...\"}}: {e.Message}", e);
            }
        }
        return captions;
    }

    private static async Task<IReadOnlyList<InputImage>> ReadParquetAsync(
        UnitInput slice, string imageColumn, string captionColumn, string idColumn, CancellationToken ct)
    {
        await using var stream = File.OpenRead(slice.File);
        long[] groupRows;
        await using (var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: ct))
        {
            CheckColumns(slice.File, reader.Schema, imageColumn, captionColumn);
            groupRows = reader.Metadata!.RowGroups.Select(g => g.NumRows).ToArray();
        }
        var images = new List<InputImage>(slice.Count);
        long groupStart = 0;
        for (var g = 0; g < groupRows.Length && images.Count < slice.Count; groupStart += groupRows[g], g++)
        {
            if (groupStart + groupRows[g] <= slice.Start)
                continue;
            stream.Position = 0;
            var rows = (await ParquetSerializer.DeserializeUntypedAsync(stream, rowGroupIndex: g, cancellationToken: ct)).Data;
            for (var i = 0; i < rows.Count && images.Count < slice.Count; i++)
            {
                var rowNumber = groupStart + i;
                if (rowNumber < slice.Start)
                    continue;
                var row = rows[i];
                var id = idColumn.Length > 0 && row.TryGetValue(idColumn, out var idValue) && idValue is not null
                    ? Convert.ToString(idValue, System.Globalization.CultureInfo.InvariantCulture) ?? ""
                    : $"{Path.GetFileName(slice.File)}#{rowNumber}";
                var caption = captionColumn.Length > 0 && row.TryGetValue(captionColumn, out var c) ? c as string ?? "" : "";
                images.Add(new InputImage(id, ImageBytes(row.GetValueOrDefault(imageColumn)), caption));
            }
        }
        return images;
    }

    /// <summary>The HF Image struct {bytes, path}, or a plain binary column; null or missing bytes read as empty (skipped later).</summary>
    private static byte[] ImageBytes(object? value) => value switch
    {
        byte[] bytes => bytes,
        IDictionary<string, object> image when image.TryGetValue("bytes", out var b) && b is byte[] bytes => bytes,
        _ => [],
    };

    private static void CheckColumns(string file, Parquet.Schema.ParquetSchema schema, string imageColumn, string captionColumn)
    {
        var top = schema.Fields.Select(f => f.Name).ToList();
        if (!top.Contains(imageColumn))
            throw new ArgumentException(
                $"'{file}' has no image column '{imageColumn}' (columns: {string.Join(", ", top)}); set input.image_column.");
        if (captionColumn.Length > 0 && !top.Contains(captionColumn))
            throw new ArgumentException(
                $"'{file}' has no caption column '{captionColumn}' (columns: {string.Join(", ", top)}); set input.caption_column, or \"\" for none.");
    }
}
