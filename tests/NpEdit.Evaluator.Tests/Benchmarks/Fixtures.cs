using NpEdit.Core.Shards;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Imaging;
using Parquet.Serialization;

namespace NpEdit.Evaluator.Tests.Benchmarks;

/// <summary>Small benchmark folders in the real file layouts and schemas.</summary>
internal static class Fixtures
{
    public static byte[] Png(byte shade, int size = 8) =>
        ImageBytes.EncodePng(Enumerable.Repeat(shade, size * size * 3).ToArray(), size, size);

    /// <summary>GEdit-Bench rows as <c>datasets</c> writes them: HF Image structs, nullable columns.</summary>
    public static GEditBenchRow GEditRow(string task, string key, string language, bool intersection, byte shade) => new()
    {
        TaskType = task,
        Key = key,
        Instruction = $"instruction for {key}",
        InstructionLanguage = language,
        InputImage = new HfImage { Bytes = Png(shade, 4), Path = $"{key}.png" },
        InputImageRaw = new HfImage { Bytes = Png(shade, 8), Path = $"{key}_raw.png" },
        IntersectionExist = intersection,
    };

    public static async Task WriteGEditAsync(string path, IEnumerable<GEditBenchRow> rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await ParquetSerializer.SerializeAsync(rows.ToArray(), path);
    }

    public const string DreamBoothPrompts = """
        Classes
        subject_name,class
        backpack,backpack
        dog6,dog

        Prompts
        Object Prompts
        prompt_list = [
        'a {0} {1} in the jungle'.format(unique_token, class_token),
        'a {0} {1} on a cobblestone street'.format(unique_token, class_token),
        'a red {0} {1}'.format(unique_token, class_token),
        ]

        Live Subject Prompts
        prompt_list = [
        'a {0} {1} in the jungle'.format(unique_token, class_token),
        'a {0} {1} wearing a santa hat'.format(unique_token, class_token),
        ]
        """;
}
