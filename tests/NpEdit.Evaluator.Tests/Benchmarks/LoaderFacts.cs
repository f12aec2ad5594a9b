using DuckDB.NET.Data;
using NpEdit.Evaluator.Benchmarks;
using NpEdit.Evaluator.Imaging;
using NpEdit.ShapesWorld.Bench;
using NpEdit.Testing;

namespace NpEdit.Evaluator.Tests.Benchmarks;

public class LoaderFacts : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task GEdit_keeps_one_language_uses_the_raw_input_and_reads_the_intersection_flag()
    {
        var root = Path.Combine(_dir.Path, "gedit");
        await Fixtures.WriteGEditAsync(Path.Combine(root, "data", "train-00000-of-00002.parquet"),
            [Fixtures.GEditRow("color_alter", "a1", "en", true, 10), Fixtures.GEditRow("color_alter", "a1", "cn", true, 10)]);
        await Fixtures.WriteGEditAsync(Path.Combine(root, "data", "train-00001-of-00002.parquet"),
            [Fixtures.GEditRow("subject-add", "b1", "en", false, 20), Fixtures.GEditRow("ps_human", "c1", "en", true, 30)]);

        var bench = await GEditBenchLoader.LoadAsync(root);

        Assert.Equal(["a1", "b1", "c1"], bench.Items.Select(i => i.Key));
        Assert.Equal(["color_alter", "ps_human", "subject-add"], bench.Groups);
        Assert.Equal([true, false, true], bench.Items.Select(i => i.InIntersection));
        Assert.Equal((8, 8), ImageBytes.Size(bench.Items[0].LoadSource()));
        Assert.Contains("606", Assert.Single(bench.Warnings));
    }

    [Fact]
    public async Task GEdit_fixture_has_the_Hugging_Face_schema()
    {
        var path = Path.Combine(_dir.Path, "schema", "train-00000-of-00001.parquet");
        await Fixtures.WriteGEditAsync(path, [Fixtures.GEditRow("color_alter", "a1", "en", true, 10)]);
        await using var duck = new DuckDBConnection("DataSource=:memory:");
        await duck.OpenAsync();
        await using var cmd = duck.CreateCommand();
        cmd.CommandText = $"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '{path}')";
        var columns = new Dictionary<string, string>();
        await using (var reader = await cmd.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                columns[reader.GetString(0)] = reader.GetString(1);
        Assert.Equal("VARCHAR", columns["task_type"]);
        Assert.Equal("VARCHAR", columns["instruction_language"]);
        Assert.Equal("BOOLEAN", columns["Intersection_exist"]);
        Assert.Equal("STRUCT(bytes BLOB, path VARCHAR)", columns["input_image_raw"]);
    }

    [Fact]
    public async Task GEdit_with_a_missing_shard_says_which_file_and_how_to_download()
    {
        var root = Path.Combine(_dir.Path, "partial");
        await Fixtures.WriteGEditAsync(Path.Combine(root, "train-00000-of-00003.parquet"), [Fixtures.GEditRow("color_alter", "a1", "en", true, 10)]);
        await Fixtures.WriteGEditAsync(Path.Combine(root, "train-00002-of-00003.parquet"), [Fixtures.GEditRow("color_alter", "a2", "en", true, 10)]);

        var e = await Assert.ThrowsAsync<BenchmarkFilesMissingException>(() => GEditBenchLoader.LoadAsync(root));
        Assert.Contains("train-00001-of-00003.parquet", e.Message);
        Assert.Contains("huggingface-cli download stepfun-ai/GEdit-Bench", e.Message);

        var empty = await Assert.ThrowsAsync<BenchmarkFilesMissingException>(() => GEditBenchLoader.LoadAsync(Path.Combine(_dir.Path, "nothing")));
        Assert.Contains("does not exist", empty.Message);
    }

    [Fact]
    public async Task ImgEdit_reads_basic_edit_json_and_finds_images_in_singleturn()
    {
        var root = Path.Combine(_dir.Path, "imgedit");
        foreach (var folder in new[] { "animal", "daily object", "for_add", Path.Combine("compose", "human") })
            Directory.CreateDirectory(Path.Combine(root, "singleturn", folder));
        await File.WriteAllBytesAsync(Path.Combine(root, "singleturn", "animal", "000342021.jpg"), Fixtures.Png(40));
        await File.WriteAllBytesAsync(Path.Combine(root, "singleturn", "daily object", "000276684.jpg"), Fixtures.Png(50));
        await File.WriteAllBytesAsync(Path.Combine(root, "singleturn", "for_add", "000236569.jpg"), Fixtures.Png(60));
        await File.WriteAllBytesAsync(Path.Combine(root, "singleturn", "compose", "human", "14.jpg"), Fixtures.Png(70));
        // Entries as the repository's Benchmark/Basic/basic_edit.json has them: sparse numeric keys, "alter" for Adjust,
        // ids with a space in the folder name and nested compose folders.
        await File.WriteAllTextAsync(Path.Combine(root, ImgEditBenchLoader.JsonFile), """
            {
                "1082": {
                    "id": "animal/000342021.jpg",
                    "prompt": "Change the tortoise's shell texture to a smooth surface.",
                    "edit_type": "alter"
                },
                "628": {
                    "id": "daily object/000276684.jpg",
                    "prompt": "Replace the giant boot in the image with a large coffee mug.",
                    "edit_type": "replace"
                },
                "97": {
                    "id": "for_add/000236569.jpg",
                    "prompt": "Add an elegant chandelier in the center of the ceiling.",
                    "edit_type": "add"
                },
                "1149": {
                    "id": "compose/human/14.jpg",
                    "prompt": "Remove the gift box in the air held by the woman on the right, and adjust the lighting to brighten the scene.",
                    "edit_type": "compose"
                }
            }
            """);

        var bench = await ImgEditBenchLoader.LoadAsync(root);

        Assert.Equal(["adjust", "replace", "add", "compose"], bench.Items.Select(i => i.Group));
        Assert.Equal(["1082", "628", "97", "1149"], bench.Items.Select(i => i.Key));
        Assert.Equal("Replace the giant boot in the image with a large coffee mug.", bench.Items[1].Instruction);
        Assert.Equal(Fixtures.Png(50), bench.Items[1].LoadSource());
        Assert.Equal(Fixtures.Png(70), bench.Items[3].LoadSource());
        Assert.Contains("737", Assert.Single(bench.Warnings));

        File.Delete(Path.Combine(root, "singleturn", "daily object", "000276684.jpg"));
        var e = await Assert.ThrowsAsync<BenchmarkFilesMissingException>(() => ImgEditBenchLoader.LoadAsync(root));
        Assert.Contains("daily object/000276684.jpg", e.Message);
        Assert.Contains("Benchmark.tar", e.Message);
    }

    [Fact]
    public async Task DreamBooth_gives_one_item_per_subject_and_prompt_split_into_objects_and_live_subjects()
    {
        var root = Path.Combine(_dir.Path, "dreambooth");
        foreach (var subject in new[] { "backpack", "dog6" })
        {
            Directory.CreateDirectory(Path.Combine(root, subject));
            await File.WriteAllBytesAsync(Path.Combine(root, subject, "01.jpg"), Fixtures.Png(60));
            await File.WriteAllBytesAsync(Path.Combine(root, subject, "00.jpg"), Fixtures.Png(70));
        }
        await File.WriteAllTextAsync(Path.Combine(root, DreamBoothLoader.PromptsFile), Fixtures.DreamBoothPrompts);

        var bench = await DreamBoothLoader.LoadAsync(root);

        Assert.Equal(5, bench.Items.Count);
        Assert.Equal(["backpack/00", "backpack/01", "backpack/02", "dog6/00", "dog6/01"], bench.Items.Select(i => i.Key));
        Assert.Equal(["object", "object", "object", "live", "live"], bench.Items.Select(i => i.Group));
        Assert.Equal("a dog wearing a santa hat", bench.Items[4].Instruction);
        Assert.Equal("dog", bench.Items[4].SubjectClass);
        Assert.Equal(Fixtures.Png(70), bench.Items[0].LoadSource());
        Assert.Single(bench.Warnings);

        Directory.Delete(Path.Combine(root, "dog6"), recursive: true);
        var e = await Assert.ThrowsAsync<BenchmarkFilesMissingException>(() => DreamBoothLoader.LoadAsync(root));
        Assert.Contains("dog6", e.Message);
        Assert.Contains("google/dreambooth", e.Message);
    }

    [Fact]
    public async Task ShapesWorld_bench_items_keep_their_ground_truth_handle()
    {
        var set = await ShapesBench.WriteAsync(_dir.Path, new BenchOptions { ItemsPerType = 1 });

        var bench = await ShapesWorldBenchLoader.LoadAsync(set.Directory);

        Assert.Equal(11, bench.Items.Count);
        Assert.Equal(11, bench.Groups.Count);
        Assert.All(bench.Items, i => Assert.NotNull(i.ShapesItem));
        Assert.Equal((64, 64), ImageBytes.Size(bench.Items[0].LoadSource()));
        var e = await Assert.ThrowsAsync<BenchmarkFilesMissingException>(() => ShapesWorldBenchLoader.LoadAsync(Path.Combine(_dir.Path, "missing")));
        Assert.Contains("npedit world bench", e.Message);
    }
}
