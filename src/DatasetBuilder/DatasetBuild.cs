using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using NpEdit.Core.Config;
using NpEdit.Core.Config.Dataset;
using NpEdit.Core.Database;
using NpEdit.Core.Datasets;
using NpEdit.Core.Shards;
using NpEdit.Core.Tracking;
using NpEdit.Core.Vlm;
using NpEdit.DatasetBuilder.Images;
using NpEdit.DatasetBuilder.Inputs;
using NpEdit.DatasetBuilder.Manifest;
using NpEdit.DatasetBuilder.Pipeline;
using NpEdit.DatasetBuilder.Vlm;

namespace NpEdit.DatasetBuilder;

/// <summary>
/// The DatasetBuilder's entry point. <see cref="PrepareAsync"/> plans the units and records the dataset;
/// <see cref="RunUnitAsync"/> builds one unit from ids alone (what a Hangfire job calls); <see cref="FinalizeAsync"/>
/// closes the dataset once every unit is done. A unit streams its slice image by image (<see cref="ImageFeed"/>),
/// prepares each image and runs the App. D pipelines on it, writes its shard to a temp file renamed into place, and
/// only then records it: a finished unit is never redone, and a crashed one reruns from the reply cache without paying
/// for a request twice. All units of a dataset in this process share one budget of images in flight
/// (<see cref="ImageSlots"/>) over one request budget (the dispatcher's slots).
/// </summary>
public sealed class DatasetBuild(NpgsqlDataSource dataSource, DatasetBuildOptions? options = null) : IDisposable
{
    private readonly DatasetBuildOptions _options = options ?? new DatasetBuildOptions();
    private readonly DatasetStore _store = new(dataSource);
    private readonly ConcurrentDictionary<long, Lazy<VlmDispatcher>> _dispatchers = new();
    private readonly ConcurrentDictionary<long, ImageSlots> _imageSlots = new();

    public BuildProgress Progress { get; } = new();

    /// <summary>The request counters of this process for a dataset (null before its first unit ran here).</summary>
    public VlmStats? StatsFor(long datasetId) => _dispatchers.TryGetValue(datasetId, out var d) && d.IsValueCreated ? d.Value.Stats : null;

    /// <summary>Round trips to the reply cache by this process for a dataset (lookups, stores).</summary>
    public (int Lookups, int Stores) CacheBatchesFor(long datasetId) =>
        _dispatchers.TryGetValue(datasetId, out var d) && d.IsValueCreated ? d.Value.CacheBatches : (0, 0);

    /// <summary>
    /// Plans the units and records the dataset, or finds it when the same name was prepared before with the same
    /// identity (everything but how to reach the endpoints, see <see cref="IdentityHash"/>). On resume the stored
    /// config takes this run's endpoint settings, so workers use them too.
    /// </summary>
    public async Task<long> PrepareAsync(ResolvedConfig<DatasetConfig> config, CancellationToken ct = default)
    {
        var c = config.Value;
        var outputDir = Path.GetFullPath(string.IsNullOrWhiteSpace(c.OutputDir)
            ? Path.Combine(ProjectPaths.StateDirectory(), "datasets", c.Name)
            : c.OutputDir);
        var identity = IdentityHash(config.Json);
        var json = config.Json.ToJsonString();
        if (await _store.FindAsync(c.Name, ct) is { } existing)
        {
            // Resuming: the stored units are authoritative (the input is not re-planned).
            var stored = await _store.GetDatasetAsync(existing, ct);
            if (stored.ConfigHash != identity)
                throw new ArgumentException(
                    $"Dataset '{c.Name}' already exists (id {existing}) with a different config; resuming would mix two datasets. " +
                    "Build under another name, or pass the same config to resume it (only vlm endpoints, concurrency, timeouts and retries may change).");
            await _store.UpdateConfigAsync(existing, json, ct);
            return existing;
        }
        var units = await InputPlanner.PlanAsync(c.Input, ct);
        var inputs = units.Select(u => JsonSerializer.Serialize(u)).ToList();
        return await _store.CreateOrResumeAsync(c.Name, json, identity, outputDir, inputs, ct);
    }

    /// <summary>
    /// The hash that names a dataset's content: the resolved config without the keys that only say how requests
    /// travel (endpoints, key variable, concurrency, timeouts, retries). Sampling settings stay: they change replies.
    /// </summary>
    public static string IdentityHash(JsonObject config)
    {
        var copy = config.DeepClone().AsObject();
        if (copy["vlm"] is JsonObject vlm)
        {
            foreach (var key in new[] { "endpoints", "api_key_variable", "max_in_flight_per_endpoint", "timeout_minutes", "max_attempts", "base_delay_ms", "max_delay_seconds" })
                vlm.Remove(key);
        }
        return CanonicalJson.Hash(copy);
    }

    /// <summary>Builds one unit; does nothing when it is already finished and its shard is in place.</summary>
    public Task RunUnitAsync(long datasetId, int unitId, CancellationToken ct = default) => RunUnitAsync(datasetId, unitId, null, ct);

    /// <summary>Builds one unit; <paramref name="fed"/> is called once its last image has been read (not when it is done).</summary>
    private async Task RunUnitAsync(long datasetId, int unitId, Action? fed, CancellationToken ct)
    {
        var dataset = await _store.GetDatasetAsync(datasetId, ct);
        var unit = (await _store.GetUnitsAsync(datasetId, ct)).SingleOrDefault(u => u.Unit == unitId)
                   ?? throw new ArgumentException($"Dataset {datasetId} has no unit {unitId} (it has {dataset.Units}).");
        if (unit.Status == UnitRecord.Finished && unit.ShardPath is not null && File.Exists(unit.ShardPath))
            return;
        var config = JsonSerializer.Deserialize<DatasetConfig>(dataset.Config, ConfigLoader.JsonOptions)!;
        var slice = JsonSerializer.Deserialize<UnitInput>(unit.Input)!;
        var vlm = Dispatcher(datasetId, config);
        var slots = _imageSlots.GetOrAdd(datasetId, _ => new ImageSlots(_options.ImagesInFlight > 0 ? _options.ImagesInFlight : 4 * vlm.Capacity));
        await _store.MarkRunningAsync(datasetId, unitId, ct);
        try
        {
            var result = await BuildUnitAsync(dataset, config, vlm, slots, unitId, slice, fed, ct);
            await _store.FinishUnitAsync(datasetId, unitId, result, ct);
            Progress.UnitDone();
        }
        catch (Exception e) when (e is VlmCallException or IOException or InvalidDataException or FormatException or ArgumentException)
        {
            await _store.MarkFailedAsync(datasetId, unitId, e.Message, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Marks the dataset finished with its duplicate statistics when every unit is; returns its status either way.</summary>
    public async Task<DatasetStatus> FinalizeAsync(long datasetId, CancellationToken ct = default)
    {
        var units = await _store.GetUnitsAsync(datasetId, ct);
        if (units.All(u => u.Status == UnitRecord.Finished))
        {
            var config = JsonSerializer.Deserialize<DatasetConfig>((await _store.GetDatasetAsync(datasetId, ct)).Config, ConfigLoader.JsonOptions)!;
            var keys = await _store.InstructionKeysAsync(datasetId, ct);
            var exact = await _store.ExactDuplicatesAsync(datasetId, ct);
            await _store.TryFinishDatasetAsync(datasetId, exact, NearDuplicates.Rate(keys, config.NearDuplicateJaccard), ct);
        }
        return await _store.StatusAsync(datasetId, ct);
    }

    /// <summary>
    /// Runs every unfinished unit in this process, then finalizes. Units start in order, each once the previous one has
    /// read its last image (at most <see cref="DatasetBuildOptions.ConcurrentUnits"/> at once): the next unit's images
    /// fill the request slots while the previous unit's last replies arrive and its shard is written, so the endpoint
    /// idles only at the very end. The first unit that fails stops the others.
    /// </summary>
    public async Task<DatasetStatus> BuildAsync(long datasetId, CancellationToken ct = default)
    {
        var pending = (await _store.GetUnitsAsync(datasetId, ct))
            .Where(u => u.Status != UnitRecord.Finished || u.ShardPath is null || !File.Exists(u.ShardPath)).ToList();
        Progress.AddUnits(pending.Count, pending.Sum(u => (long)JsonSerializer.Deserialize<UnitInput>(u.Input)!.Count));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var failures = new ConcurrentQueue<Exception>();
        var running = new List<Task>();
        foreach (var unit in pending)
        {
            while (running.Count(t => !t.IsCompleted) >= Math.Max(1, _options.ConcurrentUnits))
                await Task.WhenAny(running.Where(t => !t.IsCompleted));
            if (stop.IsCancellationRequested)
                break;
            var fed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            running.Add(RunInBuildAsync(unit.Unit, fed));
            await fed.Task;
        }
        await Task.WhenAll(running);
        if (failures.TryPeek(out var first))
            ExceptionDispatchInfo.Throw(first);
        ct.ThrowIfCancellationRequested();
        return await FinalizeAsync(datasetId, ct);

        async Task RunInBuildAsync(int unit, TaskCompletionSource fed)
        {
            try
            {
                await RunUnitAsync(datasetId, unit, () => fed.TrySetResult(), stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                failures.Enqueue(e);
                await stop.CancelAsync();
            }
            finally
            {
                fed.TrySetResult();
            }
        }
    }

    /// <summary>The manifest, for status and inspection.</summary>
    public DatasetStore Store => _store;

    public void Dispose()
    {
        foreach (var d in _dispatchers.Values.Where(d => d.IsValueCreated))
            d.Value.Dispose();
    }

    private async Task<UnitResult> BuildUnitAsync(DatasetRecord dataset, DatasetConfig config, VlmDispatcher vlm, ImageSlots slots, int unitId,
        UnitInput slice, Action? fed, CancellationToken ct)
    {
        var preparer = new ImagePreparer(config.Images);
        var prompts = new PromptSet(config.Vlm, ExampleBank.Default, await ProminentExampleAsync(config.Tasks, ct), config.Seed);
        var annotator = new ImageAnnotator(vlm, prompts, config.Tasks.Local, config.Tasks.Customization);
        var createdAt = DateTime.UtcNow;
        // Indexed by position in the slice, so rows keep the input's order whatever order images finish in.
        var outcomes = new ImageOutcome?[slice.Count];
        var skipped = new List<(string, string)>();
        var imagesIn = await ImageFeed.RunAsync(InputReader.StreamAsync(config.Input, slice, ct), slots, async (i, input, token) =>
        {
            var image = preparer.Prepare(input.Bytes, out var reason);
            if (image is null)
            {
                lock (skipped)
                    skipped.Add((input.SourceId, reason));
                Progress.ImageDone(0);
                return;
            }
            outcomes[i] = await annotator.AnnotateAsync(input, image, createdAt, token);
            Progress.ImageDone(outcomes[i]!.Rows.Count);
        }, fed, ct);

        // Exact dedup: first occurrence within the unit, then against rows other units already hold.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = outcomes.Where(o => o is not null).SelectMany(o => o!.Rows).Where(r => seen.Add(r.Id)).ToList();
        var duplicates = outcomes.Sum(o => o?.Rows.Count ?? 0) - rows.Count;
        var taken = await _store.ClaimRowsAsync(dataset.Id, unitId, rows.Select(r => (r.Id, RowIds.InstructionKey(r.Instruction))).ToList(), ct);
        duplicates += rows.RemoveAll(r => taken.Contains(r.Id));

        var path = Path.Combine(dataset.OutputDir, "data", $"train-{unitId:D5}-of-{dataset.Units:D5}.parquet");
        var shard = await ShardWriter.WriteAsync(path, rows, ct);
        return new UnitResult(shard, imagesIn, skipped.OrderBy(s => s.Item1, StringComparer.Ordinal).ToList(),
            rows.GroupBy(r => r.EditType).ToDictionary(g => g.Key, g => g.Count()), duplicates,
            outcomes.Where(o => o is not null).SelectMany(o => o!.Calls).ToList(),
            outcomes.Where(o => o is not null).SelectMany(o => o!.Rejects).ToList())
        {
            InvalidInstructions = outcomes.Sum(o => o?.InvalidInstructions ?? 0),
            NotProminentImages = outcomes.Count(o => o?.NotProminent == true),
        };
    }

    private VlmDispatcher Dispatcher(long datasetId, DatasetConfig config) => _dispatchers.GetOrAdd(datasetId, _ => new Lazy<VlmDispatcher>(() =>
    {
        var endpoints = _options.Endpoints ?? (string.IsNullOrWhiteSpace(config.Vlm.Endpoints)
            ? VlmEndpoint.FromEnvironment()
            : VlmEndpoint.Parse(config.Vlm.Endpoints));
        var clientOptions = new VlmClientOptions
        {
            MaxInFlightPerEndpoint = config.Vlm.MaxInFlightPerEndpoint,
            RequestTimeout = TimeSpan.FromMinutes(config.Vlm.TimeoutMinutes),
            MaxAttempts = config.Vlm.MaxAttempts,
            BaseDelay = TimeSpan.FromMilliseconds(config.Vlm.BaseDelayMs),
            MaxDelay = TimeSpan.FromSeconds(config.Vlm.MaxDelaySeconds),
        };
        var apiKey = _options.ApiKey ?? Environment.GetEnvironmentVariable(config.Vlm.ApiKeyVariable) ?? "EMPTY";
        return new VlmDispatcher(endpoints, clientOptions, new VlmReplyCache(dataSource), apiKey);
    })).Value;

    private static async Task<VlmImage> ProminentExampleAsync(TasksSection tasks, CancellationToken ct)
    {
        byte[] bytes;
        if (string.IsNullOrWhiteSpace(tasks.ProminentExampleImage))
        {
            await using var stream = ExampleBank.OpenResource("prominent-example.png");
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory, ct);
            bytes = memory.ToArray();
        }
        else
        {
            if (!File.Exists(tasks.ProminentExampleImage))
                throw new FileNotFoundException($"tasks.prominent_example_image '{tasks.ProminentExampleImage}' does not exist.", tasks.ProminentExampleImage);
            bytes = await File.ReadAllBytesAsync(tasks.ProminentExampleImage, ct);
        }
        var prepared = new ImagePreparer(new ImageSection()).Prepare(bytes, out var reason)
                       ?? throw new InvalidDataException($"The prominent-object example image cannot be used: {reason}.");
        return prepared.Attachment;
    }
}
