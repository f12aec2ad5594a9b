// DatasetBuilder throughput: a full build (local + customization pipelines, shards, manifest) against the ShapesWorld
// annotator answering every request after a fixed latency. Goal (issue 6): with --latency-ms 200 and 64 requests in
// flight, at least 90% of 64 / 0.2 s = 320 requests/s, and the platform's CPU time per request.
// The annotator runs in a child process (this program with 'serve'), so this process's CPU time is the platform's.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NpEdit.Core.Config;
using NpEdit.Core.Config.Dataset;
using NpEdit.Core.Database;
using NpEdit.DatasetBuilder;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Corpus;

if (args.Length > 0 && args[0] == "serve")
{
    // Child: the annotator on a given port, recognising the corpus images.
    var registry = new SceneRegistry();
    await registry.LoadDirectoryAsync(args[2]);
    await using var server = await AnnotatorServer.StartAsync(new AnnotatorOptions(registry)
    {
        Port = int.Parse(args[1], CultureInfo.InvariantCulture),
        LatencyMs = int.Parse(args[3], CultureInfo.InvariantCulture),
    });
    if (!args.Contains("--cold-endpoint"))
    {
        // Warm the annotator before the build's clock starts (Kestrel, JSON, image decoding): a real endpoint is already
        // serving when a build begins, and this stand-in's first-request JIT is not the platform's start-up.
        await foreach (var row in CorpusReader.ReadAsync(args[2]))
        {
            using var http = new HttpClient();
            var body = JsonSerializer.Serialize(new
            {
                model = "shapesworld-annotator",
                messages = new object[] { new { role = "user", content = new object[]
                {
                    new { type = "image_url", image_url = new { url = $"data:image/png;base64,{Convert.ToBase64String(row.Image.Bytes)}" } },
                    new { type = "text", text = "Is there one prominent object in the center of the image?" },
                } } },
            });
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
                http.PostAsync($"http://127.0.0.1:{args[1]}/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"))));
            break;
        }
    }
    Console.WriteLine("ready");
    await Console.In.ReadLineAsync();
    Console.WriteLine(Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds.ToString(CultureInfo.InvariantCulture));
    return 0;
}

var images = Option("--images", 1500);
var latencyMs = Option("--latency-ms", 200);
var inFlight = Option("--in-flight", 64);
var port = Option("--port", 18931);
var imagesPerUnit = Option("--images-per-unit", 500);
var concurrentUnits = Option("--concurrent-units", 2);
var imagesInFlight = Option("--images-in-flight", 0);
var work = Path.Combine(Path.GetTempPath(), $"npedit-dataset-bench-{Guid.NewGuid():N}");
var corpus = Path.Combine(work, "corpus");
await CorpusWriter.WriteAsync(new CorpusOptions(images, 64, 11, corpus) { RowsPerShard = 500 });

using var annotator = Process.Start(new ProcessStartInfo(Environment.ProcessPath!,
    ["serve", port.ToString(CultureInfo.InvariantCulture), corpus, latencyMs.ToString(CultureInfo.InvariantCulture), .. args.Where(a => a == "--cold-endpoint")])
{
    RedirectStandardInput = true, RedirectStandardOutput = true,
})!;
if (await annotator.StandardOutput.ReadLineAsync() != "ready")
    throw new InvalidOperationException("The annotator child did not start; is the port free? Pass --port.");

await using var dataSource = await NpEditDatabase.OpenAsync();
var config = ConfigLoader.Resolve<DatasetConfig>(null, sets:
[
    $"name=bench-{DateTime.UtcNow:yyyyMMddHHmmss}-{Guid.NewGuid():N}"[..40], $"output_dir={Path.Combine(work, "out")}",
    "input.kind=shapes_world", $"input.path={corpus}", $"input.images_per_unit={imagesPerUnit}",
    $"vlm.endpoints=shapesworld-annotator@http://127.0.0.1:{port}/v1", $"vlm.max_in_flight_per_endpoint={inFlight}",
    // A fresh seed: no reply is in the cache, every request goes to the annotator.
    $"vlm.seed={Random.Shared.NextInt64(1, long.MaxValue)}",
]);
using var build = new DatasetBuild(dataSource, new DatasetBuildOptions { ConcurrentUnits = concurrentUnits, ImagesInFlight = imagesInFlight });
var id = await build.PrepareAsync(config);
var cpu = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
// Sampled every 50 ms: when requests started and stopped, the rate in between (without start-up and drain), and how
// many were in flight (sent and not yet answered; the bench injects no faults, so every attempt is answered once).
var timeline = new List<(double Seconds, long Attempts, long InFlight)>();
using var sampling = new CancellationTokenSource();
var sampler = Task.Run(async () =>
{
    while (!sampling.IsCancellationRequested)
    {
        var stats = build.StatsFor(id);
        timeline.Add((clock.Elapsed.TotalSeconds, stats?.Attempts ?? 0, stats is null ? 0 : stats.Attempts - (stats.Requests - stats.CacheHits)));
        try { await Task.Delay(50, sampling.Token); } catch (OperationCanceledException) { }
    }
});
var status = await build.BuildAsync(id);
clock.Stop();
await sampling.CancelAsync();
await sampler;
timeline.Add((clock.Elapsed.TotalSeconds, build.StatsFor(id)!.Attempts, 0));
var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
var sent = build.StatsFor(id)!.Attempts;
var cacheBatches = build.CacheBatchesFor(id);
var goal = inFlight / (latencyMs / 1000.0);
Console.WriteLine($"images {images} in units of {imagesPerUnit}, {concurrentUnits} units at once, images in flight " +
                  $"{(imagesInFlight > 0 ? imagesInFlight.ToString(CultureInfo.InvariantCulture) : "default")}, endpoint {(args.Contains("--cold-endpoint") ? "cold" : "warmed")}");
Console.WriteLine($"images {images}, rows {status.Rows}, requests sent {sent}, wall {clock.Elapsed.TotalSeconds:F1} s");
Console.WriteLine($"throughput {sent / clock.Elapsed.TotalSeconds:F1} req/s = {sent / clock.Elapsed.TotalSeconds / goal:P1} of {goal:F0} req/s " +
                  $"({inFlight} in flight, {latencyMs} ms latency)");
Console.WriteLine($"mean request latency {status.MeanLatencyMs:F0} ms (annotator latency {latencyMs} ms); machine load {File.ReadAllText("/proc/loadavg").Trim()}");
var total = timeline[^1].Attempts;
var at10 = timeline.First(t => t.Attempts >= total / 10);
var at90 = timeline.First(t => t.Attempts >= total * 9 / 10);
var firstAt = timeline.First(t => t.Attempts > 0).Seconds;
var lastAt = timeline.First(t => t.Attempts == total).Seconds;
Console.WriteLine($"first request after {firstAt:F1} s, last at {lastAt:F1} s, build returned at {clock.Elapsed.TotalSeconds:F1} s; " +
                  $"between 10% and 90% of the requests {(at90.Attempts - at10.Attempts) / (at90.Seconds - at10.Seconds):F1} req/s");
// Where the wall time beyond the ideal sent / goal went: before the first request, after the last, and slot-seconds left
// empty while requests were going out (the tail of each unit when nothing else fills its slots).
Console.WriteLine($"first 10% of the requests {(at10.Attempts) / (at10.Seconds - firstAt):F1} req/s, last 10% {(total - at90.Attempts) / (lastAt - at90.Seconds):F1} req/s");
if (Environment.GetEnvironmentVariable("BENCH_TIMELINE") == "1")
    Console.WriteLine("sent per second: " + string.Join(" ", timeline.GroupBy(t => (int)t.Seconds)
        .Select(g => $"{g.Key}:{g.Max(t => t.Attempts) - g.Min(t => t.Attempts)}")));
var emptySlotSeconds = timeline.Zip(timeline.Skip(1)).Where(p => p.First.Seconds >= firstAt && p.First.Seconds < lastAt)
    .Sum(p => Math.Max(0, inFlight - p.First.InFlight) * (p.Second.Seconds - p.First.Seconds));
var meanInFlight90 = timeline.Where(t => t.Seconds >= at90.Seconds && t.Seconds < lastAt).DefaultIfEmpty().Average(t => (double)t.InFlight);
Console.WriteLine($"ideal {sent / goal:F1} s; lost: {firstAt:F1} s before the first request, {clock.Elapsed.TotalSeconds - lastAt:F1} s after the last, " +
                  $"{emptySlotSeconds / inFlight:F1} s of empty slots in between (mean in flight {meanInFlight90:F0} after 90% of the requests)");
Console.WriteLine($"reply cache: {cacheBatches.Lookups} lookup and {cacheBatches.Stores} store round trips for {sent} requests");
Console.WriteLine($"platform CPU {cpuUsed.TotalSeconds:F1} s = {cpuUsed.TotalMilliseconds / sent:F2} ms per request " +
                  $"(this process: dispatch, cache, image prep, parsing, shards, manifest; PostgreSQL's own CPU not included)");
await annotator.StandardInput.WriteLineAsync();
var annotatorCpuMs = double.Parse((await annotator.StandardOutput.ReadLineAsync())!, CultureInfo.InvariantCulture);
Console.WriteLine($"annotator CPU (its whole life, start-up included) {annotatorCpuMs / 1000:F1} s = {annotatorCpuMs / sent:F2} ms per request");
await annotator.WaitForExitAsync();
Directory.Delete(work, recursive: true);
return 0;

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
