using System.CommandLine;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Bench;
using NpEdit.ShapesWorld.Captions;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Jobs.Cli;

/// <summary><c>npedit world …</c>: the ShapesWorld corpus, annotator endpoint, benchmark and single renders. Thin: every command calls one public ShapesWorld API.</summary>
internal static class WorldCommands
{
    public static Command Build()
    {
        var world = new Command("world", "ShapesWorld: the built-in procedural image world with ground-truth edits.");
        world.Subcommands.Add(Corpus());
        world.Subcommands.Add(Serve());
        world.Subcommands.Add(BenchCommand());
        world.Subcommands.Add(Render());
        return world;
    }

    private static Command Corpus()
    {
        var n = new Option<int>("--n") { Description = "Number of images to generate.", Required = true };
        var res = new Option<int>("--res") { Description = "Image width and height in pixels (8–4096).", DefaultValueFactory = _ => 64 };
        var seed = new Option<ulong>("--seed") { Description = "Corpus seed; the same seed gives the same images.", DefaultValueFactory = _ => 0UL };
        var output = new Option<DirectoryInfo>("--out") { Description = "Output folder (created if missing); shards go to OUT/data/.", Required = true };
        var rows = new Option<int>("--rows-per-shard") { Description = "Rows per Parquet shard.", DefaultValueFactory = _ => 5000 };
        var threads = new Option<int>("--threads") { Description = "Rendering threads.", DefaultValueFactory = _ => Environment.ProcessorCount };
        var cmd = new Command("corpus", "Write a ShapesWorld corpus as Parquet shards in the Hugging Face image layout, plus a scene registry for 'world serve'.")
        {
            n, res, seed, output, rows, threads,
        };
        cmd.SetAction((p, ct) => Guarded(async () =>
        {
            var options = new CorpusOptions(p.GetValue(n), p.GetValue(res), p.GetValue(seed), p.GetValue(output)!.FullName)
            {
                RowsPerShard = p.GetValue(rows),
                MaxParallelism = p.GetValue(threads),
            };
            var progress = new Progress<int>(done => Console.WriteLine($"  {done}/{options.Count} rows"));
            var manifest = await CorpusWriter.WriteAsync(options, progress, ct);
            Console.WriteLine($"Wrote {manifest.Count} images in {manifest.Shards.Count} shard(s) to {options.OutputDirectory}");
            return 0;
        }));
        return cmd;
    }

    private static Command Serve()
    {
        var port = new Option<int>("--port") { Description = "TCP port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 8000 };
        var from = new Option<DirectoryInfo[]>("--from") { Description = "Folders written by 'world corpus' or 'world bench' whose images the annotator should recognise (searched recursively for scenes.registry.jsonl).", AllowMultipleArgumentsPerToken = true };
        var faults = new Option<string?>("--faults") { Description = "Injected fault rates, e.g. 429:0.05,500:0.02,timeout:0.01,garbage:0.03." };
        var latency = new Option<int>("--latency-ms") { Description = "Added latency per request in milliseconds.", DefaultValueFactory = _ => 0 };
        var jitter = new Option<int>("--jitter-ms") { Description = "Uniform latency jitter (±) in milliseconds.", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the fault and latency sequence.", DefaultValueFactory = _ => 1UL };
        var cmd = new Command("serve", "Run the OpenAI-compatible ShapesWorld annotator (POST /v1/chat/completions, GET /v1/models) that answers the paper's App. D prompts.")
        {
            port, from, faults, latency, jitter, seed,
        };
        cmd.SetAction((p, ct) => Guarded(async () =>
        {
            var registry = new SceneRegistry();
            registry.AddBench(BenchOptions.V1);
            foreach (var dir in p.GetValue(from) ?? [])
                await registry.LoadDirectoryAsync(dir.FullName, ct);
            var options = new AnnotatorOptions(registry)
            {
                Port = p.GetValue(port),
                Faults = FaultOptions.Parse(p.GetValue(faults)),
                LatencyMs = p.GetValue(latency),
                JitterMs = p.GetValue(jitter),
                Seed = p.GetValue(seed),
            };
            await using var server = await AnnotatorServer.StartAsync(options, ct);
            Console.WriteLine($"ShapesWorld annotator on {server.BaseAddress} ({registry.Count} known images). Ctrl+C stops it.");
            await server.WaitForShutdownAsync(ct);
            return 0;
        }));
        return cmd;
    }

    private static Command BenchCommand()
    {
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder to write shapesworld-bench-vN/ into (created if missing).", Required = true };
        var version = new Option<int>("--version") { Description = "Benchmark version; 1 = 50 items per edit type plus customization at 64×64.", DefaultValueFactory = _ => 1 };
        var cmd = new Command("bench", "Write ShapesWorld-Bench: input images and instructions; targets stay behind the evaluation API.") { output, version };
        cmd.SetAction((p, ct) => Guarded(async () =>
        {
            if (p.GetValue(version) != 1) throw new ArgumentException($"Only --version 1 is defined (got {p.GetValue(version)}).");
            var set = await ShapesBench.WriteAsync(p.GetValue(output)!.FullName, BenchOptions.V1, ct);
            Console.WriteLine($"Wrote {set.Items.Count} benchmark items to {set.Directory}");
            return 0;
        }));
        return cmd;
    }

    private static Command Render()
    {
        var seed = new Option<ulong>("--seed") { Description = "Scene seed.", Required = true };
        var res = new Option<int>("--res") { Description = "Image width and height in pixels (8–4096).", DefaultValueFactory = _ => 256 };
        var output = new Option<FileInfo>("--out") { Description = "PNG file to write.", Required = true };
        var cmd = new Command("render", "Render one ShapesWorld scene to a PNG and print its captions.") { seed, res, output };
        cmd.SetAction((p, ct) => Guarded(async () =>
        {
            var file = p.GetValue(output)!;
            if (file.Directory is { Exists: false } parent)
                throw new DirectoryNotFoundException($"Folder {parent.FullName} does not exist; create it or pick another --out.");
            var scene = SceneSampler.Sample(p.GetValue(seed));
            await File.WriteAllBytesAsync(file.FullName, Renderer.RenderPng(scene, p.GetValue(res)), ct);
            Console.WriteLine($"Wrote {file.FullName}");
            foreach (var caption in Captioner.Describe(scene, p.GetValue(seed)).All) Console.WriteLine($"  {caption}");
            return 0;
        }));
        return cmd;
    }

    /// <summary>Turns user-caused failures into one clear line on stderr and exit code 1, instead of a stack trace.</summary>
    private static async Task<int> Guarded(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 1;
        }
    }
}
