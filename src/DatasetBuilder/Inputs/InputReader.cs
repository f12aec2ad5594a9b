using System.Runtime.CompilerServices;
using System.Text.Json;
using NpEdit.Core.Config.Dataset;
using Parquet;
using Parquet.Serialization;

namespace NpEdit.DatasetBuilder.Inputs;

/// <summary>
/// Reads the images of one unit's slice, with their captions and ids. <see cref="StreamAsync"/> yields them one by one
/// as they are read (a Parquet row group or one file at a time), so a unit's first requests go out while later images
/// are still on disk; <see cref="ReadAsync"/> collects the same sequence.
/// </summary>
public static class InputReader
{
    public const string CaptionsFileName = "captions.jsonl";

    /// <summary>
    /// The slice's images in input order, read lazily: at most one Parquet row group (or one file) is held beyond what
    /// the caller keeps. A file that cannot be read mid-way throws <see cref="InvalidDataException"/> or
    /// <see cref="IOException"/> naming it, after the images before it were yielded.
    /// </summary>
    public static IAsyncEnumerable<InputImage> StreamAsync(InputSection input, UnitInput slice, CancellationToken ct = default) =>
        input.Kind switch
        {
            InputKind.Folder => StreamFolderAsync(slice, ct),
            InputKind.Parquet => StreamParquetAsync(slice, input.ImageColumn, input.CaptionColumn, input.IdColumn, ct),
            InputKind.ShapesWorld => StreamParquetAsync(slice, "image", "caption_detailed", "id", ct),
            _ => throw new ArgumentOutOfRangeException(nameof(input), input.Kind, "unknown input kind"),
        };

    /// <summary>The whole slice at once (tests and tools; builds use <see cref="StreamAsync"/>).</summary>
    public static async Task<IReadOnlyList<InputImage>> ReadAsync(InputSection input, UnitInput slice, CancellationToken ct = default)
    {
        var images = new List<InputImage>(slice.Count);
        await foreach (var image in StreamAsync(input, slice, ct))
            images.Add(image);
        return images;
    }

    private static async IAsyncEnumerable<InputImage> StreamFolderAsync(UnitInput slice, [EnumeratorCancellation] CancellationToken ct)
    {
        var files = InputPlanner.FolderFiles(slice.File);
        var captions = await ReadCaptionsAsync(slice.File, ct);
        foreach (var relative in files.Skip(slice.Start).Take(slice.Count))
        {
            var path = Path.Combine(slice.File, relative);
            byte[] bytes;
            try
            {
                bytes = await File.ReadAllBytesAsync(path, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new IOException(
                    $"Input image '{path}' cannot be read ({e.Message}). Restore it and rerun: finished units are kept and replies are cached.", e);
            }
            yield return new InputImage(relative, bytes, captions.GetValueOrDefault(relative, ""));
        }
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

    private static async IAsyncEnumerable<InputImage> StreamParquetAsync(
        UnitInput slice, string imageColumn, string captionColumn, string idColumn, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = File.OpenRead(slice.File);
        long[] groupRows;
        await using (var reader = await ParquetReader.CreateAsync(stream, leaveStreamOpen: true, cancellationToken: ct))
        {
            CheckColumns(slice.File, reader.Schema, imageColumn, captionColumn);
            groupRows = reader.Metadata!.RowGroups.Select(g => g.NumRows).ToArray();
        }
        var yielded = 0;
        long groupStart = 0;
        for (var g = 0; g < groupRows.Length && yielded < slice.Count; groupStart += groupRows[g], g++)
        {
            if (groupStart + groupRows[g] <= slice.Start)
                continue;
            // One row group at a time: the smallest unit Parquet decodes, and all this reader holds.
            var rows = await ReadRowGroupAsync(stream, slice.File, g, groupStart, groupRows[g], ct);
            for (var i = 0; i < rows.Count && yielded < slice.Count; i++)
            {
                var rowNumber = groupStart + i;
                if (rowNumber < slice.Start)
                    continue;
                var row = rows[i];
                var id = idColumn.Length > 0 && row.TryGetValue(idColumn, out var idValue) && idValue is not null
                    ? Convert.ToString(idValue, System.Globalization.CultureInfo.InvariantCulture) ?? ""
                    : $"{Path.GetFileName(slice.File)}#{rowNumber}";
                var caption = captionColumn.Length > 0 && row.TryGetValue(captionColumn, out var c) ? c as string ?? "" : "";
                yielded++;
                yield return new InputImage(id, ImageBytes(row.GetValueOrDefault(imageColumn)), caption);
            }
        }
    }

    private static async Task<IList<Dictionary<string, object>>> ReadRowGroupAsync(
        Stream stream, string file, int group, long groupStart, long groupRows, CancellationToken ct)
    {
        try
        {
            stream.Position = 0;
            return (await ParquetSerializer.DeserializeUntypedAsync(stream, rowGroupIndex: group, cancellationToken: ct)).Data;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A damaged page surfaces as whichever exception its decoder throws (Parquet, Snappy, Thrift, bounds checks).
            throw new InvalidDataException(
                $"'{file}' row group {group} (rows {groupStart}–{groupStart + groupRows - 1}) cannot be read: {e.Message}. The file is damaged " +
                "or changed since the dataset was planned; restore it and rerun: finished units are kept and replies are cached.", e);
        }
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
