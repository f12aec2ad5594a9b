using System.Diagnostics;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

// Single-threaded renderer throughput: scene sampling + rendering to RGB, PNG encoding measured separately.
// Usage: ShapesWorld.Bench [--seconds S] [--sizes 32,64,256] [--samples DIR]
int argSeconds = 3;
int[] sizes = [32, 64, 128, 256];
string? samplesDir = null;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds": argSeconds = int.Parse(args[++i]); break;
        case "--sizes": sizes = args[++i].Split(',').Select(int.Parse).ToArray(); break;
        case "--samples": samplesDir = args[++i]; break;
        default: Console.Error.WriteLine($"Unknown argument {args[i]}; use --seconds S, --sizes 32,64 or --samples DIR."); return 2;
    }
}

if (samplesDir is not null)
{
    Directory.CreateDirectory(samplesDir);
    for (ulong seed = 0; seed < 24; seed++)
        File.WriteAllBytes(Path.Combine(samplesDir, $"seed{seed:D3}.png"), Renderer.RenderPng(SceneSampler.Sample(seed), 128));
    Console.WriteLine($"Wrote 24 samples to {samplesDir}");
    return 0;
}

Console.WriteLine($"ShapesWorld renderer, 1 thread, {argSeconds} s per size, {Environment.ProcessorCount} logical cores visible");
Console.WriteLine("| size | render img/s | render+PNG img/s |");
Console.WriteLine("|---|---|---|");
foreach (int size in sizes)
{
    var scenes = Enumerable.Range(0, 256).Select(s => SceneSampler.Sample((ulong)s)).ToArray();
    var buffer = new byte[size * size * 3];
    for (int i = 0; i < 32; i++) Renderer.Render(scenes[i % scenes.Length], size, size, buffer);
    double renderRate = Measure(argSeconds, i => Renderer.Render(scenes[i % scenes.Length], size, size, buffer));
    double pngRate = Measure(argSeconds, i => PngCodec.Encode(Renderer.Render(scenes[i % scenes.Length], size), size, size, System.IO.Compression.CompressionLevel.Fastest));
    Console.WriteLine($"| {size}×{size} | {renderRate:F0} | {pngRate:F0} |");
}
return 0;

static double Measure(int seconds, Action<int> work)
{
    var sw = Stopwatch.StartNew();
    int n = 0;
    while (sw.Elapsed.TotalSeconds < seconds) work(n++);
    return n / sw.Elapsed.TotalSeconds;
}
