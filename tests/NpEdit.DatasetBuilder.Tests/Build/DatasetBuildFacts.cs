using Dapper;
using NpEdit.Core.Shards;
using NpEdit.DatasetBuilder.Parsing;
using NpEdit.DatasetBuilder.Pipeline;
using NpEdit.DatasetBuilder.Tests.Build;
using NpEdit.DatasetBuilder.Tests.Images;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.Testing;

namespace NpEdit.DatasetBuilder.Tests;

public sealed class DatasetBuildFacts(TestDatabase db, ShapesCorpus corpus) : IClassFixture<TestDatabase>, IClassFixture<ShapesCorpus>, IDisposable
{
    private readonly TempDirectory _out = new("npedit-dataset-out");

    public void Dispose() => _out.Dispose();

    [Fact]
    public async Task Build_WritesLocalAndCustomizationShards_ThatDuckDbReadsBack()
    {
        await using var server = await corpus.StartAnnotatorAsync();
        var config = corpus.Config("both", Path.Combine(_out.Path, "both"), server, "vlm.seed=1");
        using var build = new DatasetBuild(db.DataSource);
        var id = await build.PrepareAsync(config);
        var status = await build.BuildAsync(id);

        Assert.Equal("finished", status.Status);
        // Corpus shards of 30 + 20 rows cut into units of at most 25: 25 + 5 and 20.
        Assert.Equal(3, status.UnitsFinished);
        Assert.Equal(ShapesCorpus.Images, status.ImagesIn);
        Assert.Equal(0, status.ImagesSkipped);
        var rows = await ShardReadBack.ReadAsync(config.Value.OutputDir);
        Assert.Equal(status.Rows, rows.Count);
        Assert.Equal(rows.Count, rows.Select(r => r.Id).Distinct().Count());
        Assert.All(rows, r => Assert.Equal(r.SourceSha256, r.ImageSha256));
        Assert.All(rows, r => Assert.Equal("app-d/v1+examples/v1", r.PromptVersion));
        Assert.All(rows, r => Assert.False(string.IsNullOrWhiteSpace(r.EditedCaption)));
        // Both pipelines contribute; local rows spread over several edit types (App. D asks for a balance).
        var local = rows.Where(r => r.Task == EditTask.Local).ToList();
        var custom = rows.Where(r => r.Task == EditTask.Customization).ToList();
        Assert.True(local.Count >= ShapesCorpus.Images, $"only {local.Count} local rows");
        Assert.True(local.Select(r => r.EditType).Distinct().Count() >= 6);
        Assert.NotEmpty(custom);
        Assert.All(custom, r => Assert.StartsWith("Generate the main object shown in the first image in a different setting and pose: ", r.Instruction));
        Assert.All(custom, r => Assert.NotEqual("", r.ObjectName));
        Assert.All(local.Where(r => r.EditType == EditType.Remove), r => Assert.NotEqual("", r.ObjectName));
        // The manifest agrees with the files: per-type counts, shard bytes and hashes.
        Assert.Equal(rows.GroupBy(r => r.EditType).ToDictionary(g => g.Key, g => (long)g.Count()), status.RowsByType);
        foreach (var unit in await build.Store.GetUnitsAsync(id))
        {
            Assert.Equal(unit.Bytes, new FileInfo(unit.ShardPath!).Length);
            Assert.Equal(unit.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(unit.ShardPath!))));
        }
        Assert.Equal(server.RequestCount, status.RequestsSent);
        Assert.True(status.InputTokens > 0 && status.OutputTokens > 0);
        Assert.NotNull(status.NearDuplicateRate);
        // The model's own "no" verdicts are counted as the cached replies of this dataset's calls say.
        await using (var conn = await db.DataSource.OpenConnectionAsync())
        {
            var replies = (await conn.QueryAsync<(string Prompt, string Reply)>(
                "SELECT c.prompt, r.reply FROM npedit.vlm_calls c JOIN npedit.vlm_replies r USING (request_hash) WHERE c.dataset_id = @id",
                new { id })).ToList();
            var invalid = replies.Count(r => r.Prompt == PromptSet.ValidityName && ValidityParser.Parse(r.Reply) is { Ok: true, Value.Valid: false });
            var notProminent = replies.Count(r => r.Prompt == PromptSet.ProminentObjectName &&
                                                  ProminentObjectParser.Parse(r.Reply) is { Ok: true, Value.Prominent: false });
            Assert.Equal(invalid, status.InvalidInstructions);
            Assert.Equal(notProminent, status.NotProminentImages);
            // The annotator proposes only instructions its ground truth can apply, so it calls none of them invalid here.
            Assert.True(notProminent > 0, "no image without a prominent object");
        }
        // The Trainer's reader takes the same files.
        var first = await ShardReader.ReadAllAsync((await build.Store.GetUnitsAsync(id))[0].ShardPath!);
        Assert.NotEmpty(first);

        // Rerunning a finished dataset does nothing: no request, no file rewritten.
        var before = Directory.GetFiles(Path.Combine(config.Value.OutputDir, "data")).ToDictionary(f => f, File.GetLastWriteTimeUtc);
        var requests = server.RequestCount;
        using var again = new DatasetBuild(db.DataSource);
        Assert.Equal(id, await again.PrepareAsync(config));
        var rerun = await again.BuildAsync(id);
        // How requests travel is not part of the dataset's identity; what shapes the replies is.
        Assert.Equal(id, await again.PrepareAsync(corpus.Config("both", Path.Combine(_out.Path, "both"), server, "vlm.seed=1", "vlm.max_in_flight_per_endpoint=3")));
        var changed = await Assert.ThrowsAsync<ArgumentException>(() =>
            again.PrepareAsync(corpus.Config("both", Path.Combine(_out.Path, "both"), server, "vlm.seed=1", "vlm.temperature=0.2")));
        Assert.Contains("different config", changed.Message);
        Assert.Equal(requests, server.RequestCount);
        Assert.Equal(status.Rows, rerun.Rows);
        Assert.Equal(before, Directory.GetFiles(Path.Combine(config.Value.OutputDir, "data")).ToDictionary(f => f, File.GetLastWriteTimeUtc));
    }

    [Fact]
    public async Task Build_Completes_AndCountsEveryInjectedFault()
    {
        var faults = new FaultOptions
        {
            TooManyRequestsRate = 0.04, ServerErrorRate = 0.04, TimeoutRate = 0.02, GarbageRate = 0.04, TimeoutHang = TimeSpan.FromSeconds(12),
        };
        await using var server = await corpus.StartAnnotatorAsync(faults);
        var config = corpus.Config("faults", Path.Combine(_out.Path, "faults"), server, "vlm.seed=2", "vlm.timeout_minutes=0.1", "vlm.max_attempts=8");
        using var build = new DatasetBuild(db.DataSource);
        var id = await build.PrepareAsync(config);
        var status = await build.BuildAsync(id);

        Assert.Equal("finished", status.Status);
        // Replay the annotator's seeded fault stream for as many requests as it served: the faults it injected.
        var replay = new FaultInjector(faults, 0, 0, 99);
        var injected = Enumerable.Range(0, (int)server.RequestCount).Select(_ => replay.Next().Fault)
            .Where(f => f != FaultKind.None).GroupBy(f => f).ToDictionary(g => g.Key, g => (long)g.Count());
        Assert.True(injected.Values.Sum() >= 0.10 * server.RequestCount, $"only {injected.Values.Sum()} faults in {server.RequestCount} requests");
        var counted = string.Join(", ", status.FailuresByKind.Select(kv => $"{kv.Key}={kv.Value}"));
        var expected = string.Join(", ", injected.Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.True(injected.Values.Sum() == status.FailuresByKind.Values.Sum(), $"injected {expected}; counted {counted}");
        Assert.Equal(injected.GetValueOrDefault(FaultKind.TooManyRequests), status.FailuresByKind.GetValueOrDefault("rate_limited"));
        Assert.Equal(injected.GetValueOrDefault(FaultKind.ServerError), status.FailuresByKind.GetValueOrDefault("server_error"));
        Assert.Equal(injected.GetValueOrDefault(FaultKind.Timeout), status.FailuresByKind.GetValueOrDefault("timeout"));
        Assert.Equal(injected.GetValueOrDefault(FaultKind.Garbage), status.FailuresByKind.GetValueOrDefault("malformed"));
        Assert.Equal(server.RequestCount, build.StatsFor(id)!.Attempts);
        Assert.Equal(status.Rows, (await ShardReadBack.ReadAsync(config.Value.OutputDir)).Count);
    }

    [Fact]
    public async Task Rerun_AfterCancelMidShard_HasNoDuplicateOrMissingRow_AndResendsNoCachedRequest()
    {
        await using var server = await corpus.StartAnnotatorAsync(latencyMs: 15);
        var sets = new[] { "vlm.seed=3", "vlm.max_in_flight_per_endpoint=8", "tasks.customization=false" };
        var config = corpus.Config("cancelled", Path.Combine(_out.Path, "cancelled"), server, sets);
        long id;
        using (var build = new DatasetBuild(db.DataSource))
        {
            id = await build.PrepareAsync(config);
            using var cts = new CancellationTokenSource();
            var running = build.BuildAsync(id, cts.Token);
            while (server.RequestCount < 60 && !running.IsCompleted)
                await Task.Delay(5);
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        }
        var unitsAtCancel = await new Manifest.DatasetStore(db.DataSource).GetUnitsAsync(id);
        Assert.Contains(unitsAtCancel, u => u.Status != "finished");
        // Units that finished before the cancel are not rerun and keep the calls they made then (not from the cache).
        var finishedBefore = unitsAtCancel.Where(u => u.Status == "finished").Select(u => u.Unit).ToArray();
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var cached = (await conn.QueryAsync<string>("SELECT request_hash FROM npedit.vlm_replies")).ToHashSet();
        var sentBefore = server.RequestCount;
        // Every reply received before the cancel was stored before the build returned: nothing lands later.
        await Task.Delay(200);
        Assert.Equal(cached.Count, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM npedit.vlm_replies"));

        using var resumed = new DatasetBuild(db.DataSource);
        Assert.Equal(id, await resumed.PrepareAsync(config));
        var status = await resumed.BuildAsync(id);
        Assert.Equal("finished", status.Status);
        var stats = resumed.StatsFor(id)!;
        var hashes = (await conn.QueryAsync<(string Hash, bool FromCache)>(
            "SELECT request_hash, from_cache FROM npedit.vlm_calls WHERE dataset_id = @id AND unit <> ALL(@finishedBefore)",
            new { id, finishedBefore })).ToList();
        Assert.NotEmpty(hashes);
        // Every reply cached before the cancel was served from the cache; only the rest went to the server.
        Assert.All(hashes.Where(h => cached.Contains(h.Hash)), h => Assert.True(h.FromCache));
        Assert.Equal(hashes.Count(h => !cached.Contains(h.Hash)), stats.Attempts);
        Assert.Equal(server.RequestCount - sentBefore, stats.Attempts);

        // The same config under another name is built uninterrupted (all from the cache): the same rows, no more, no fewer.
        using var reference = new DatasetBuild(db.DataSource);
        var referenceConfig = corpus.Config("uninterrupted", Path.Combine(_out.Path, "uninterrupted"), server, sets);
        var referenceId = await reference.PrepareAsync(referenceConfig);
        await reference.BuildAsync(referenceId);
        var resumedRows = (await ShardReadBack.ReadAsync(config.Value.OutputDir)).Select(r => r.Id).ToList();
        var referenceRows = (await ShardReadBack.ReadAsync(referenceConfig.Value.OutputDir)).Select(r => r.Id).ToList();
        Assert.Equal(resumedRows.Count, resumedRows.Distinct().Count());
        Assert.Equal(referenceRows.Order(), resumedRows.Order());
        Assert.Equal(0, reference.StatsFor(referenceId)!.Attempts);
    }

    [Fact]
    public async Task Build_FromAnImageFolder_SkipsCorruptTinyAndHugeFiles_AndReportsWhy()
    {
        var folder = Path.Combine(_out.Path, "folder-input");
        Directory.CreateDirectory(folder);
        var good = new List<string>();
        await foreach (var row in CorpusReader.ReadAsync(corpus.Path))
        {
            if (good.Count == 6)
                break;
            await File.WriteAllBytesAsync(Path.Combine(folder, $"{row.Id}.png"), row.Image.Bytes);
            good.Add($"{row.Id}.png");
        }
        foreach (var kind in new[] { "corrupt", "truncated", "tiny", "huge", "empty" })
            await File.WriteAllBytesAsync(Path.Combine(folder, $"bad-{kind}.png"), BadFiles.Make(kind));
        await File.WriteAllLinesAsync(Path.Combine(folder, "captions.jsonl"),
            good.Select(f => $"{{\"file\": \"{f}\", \"caption\": \"caption of {f}\"}}"));
        await using var server = await corpus.StartAnnotatorAsync();
        var config = corpus.Config("folder", Path.Combine(_out.Path, "folder"), server,
            "vlm.seed=4", "input.kind=folder", $"input.path={folder}", "tasks.customization=false");
        using var build = new DatasetBuild(db.DataSource);
        var status = await build.BuildAsync(await build.PrepareAsync(config));

        Assert.Equal("finished", status.Status);
        Assert.Equal(11, status.ImagesIn);
        Assert.Equal(5, status.ImagesSkipped);
        Assert.Equal(2, status.SkipsByReason["corrupt or unsupported image"] + status.SkipsByReason.GetValueOrDefault("empty file"));
        Assert.Equal(1, status.SkipsByReason["corrupt image"]);
        Assert.Equal(1, status.SkipsByReason["image too small"]);
        Assert.Equal(1, status.SkipsByReason["image too large"]);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var skipped = (await conn.QueryAsync<string>("SELECT source_id FROM npedit.dataset_skips WHERE dataset_id = @id ORDER BY 1", new { id = status.Id })).ToList();
        Assert.Equal(["bad-corrupt.png", "bad-empty.png", "bad-huge.png", "bad-tiny.png", "bad-truncated.png"], skipped);
        var rows = await ShardReadBack.ReadAsync(config.Value.OutputDir);
        Assert.NotEmpty(rows);
        var shard = await ShardReader.ReadAllAsync((await build.Store.GetUnitsAsync(status.Id))[0].ShardPath!);
        Assert.All(shard, r => Assert.Contains(r.SourceId, good));
        Assert.All(shard, r => Assert.Equal($"caption of {r.SourceId}", r.SourceCaption));
    }

    [Fact]
    public async Task Build_WhereEveryImageIsSkipped_FinishesWithAnEmptyShard_AndSendsNothing()
    {
        var folder = Path.Combine(_out.Path, "only-bad");
        Directory.CreateDirectory(folder);
        foreach (var kind in new[] { "corrupt", "tiny" })
            await File.WriteAllBytesAsync(Path.Combine(folder, $"{kind}.jpg"), BadFiles.Make(kind));
        await using var server = await corpus.StartAnnotatorAsync();
        var config = corpus.Config("only-bad", Path.Combine(_out.Path, "only-bad-out"), server, "vlm.seed=5", "input.kind=folder", $"input.path={folder}");
        using var build = new DatasetBuild(db.DataSource);
        var status = await build.BuildAsync(await build.PrepareAsync(config));

        Assert.Equal("finished", status.Status);
        Assert.Equal((2, 2, 0L), (status.ImagesIn, status.ImagesSkipped, status.Rows));
        Assert.Equal(0, server.RequestCount);
        Assert.Empty(await ShardReadBack.ReadAsync(config.Value.OutputDir));
    }
}
