using Dapper;
using NpEdit.Core.Datasets;
using NpEdit.DatasetBuilder.Vlm;
using NpEdit.Testing;
using Npgsql;

namespace NpEdit.DatasetBuilder.Tests.Vlm;

public sealed class BatchedReplyCacheFacts(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task ConcurrentStoresAndLookups_ShareRoundTrips_AndEveryAcknowledgedReplyIsStored()
    {
        var cache = new BatchedReplyCache(new VlmReplyCache(db.DataSource));
        var replies = Enumerable.Range(0, 200).Select(i => Reply($"shared-{i}", $"answer {i}")).ToList();

        await Task.WhenAll(replies.Select(cache.PutAsync));
        var found = await Task.WhenAll(replies.Select(r => cache.TryGetAsync(r.RequestHash, CancellationToken.None)));
        var missing = await cache.TryGetAsync("shared-never-stored", CancellationToken.None);

        Assert.Equal(replies, found);
        Assert.Null(missing);
        Assert.InRange(cache.StoreBatches, 1, 199);
        Assert.InRange(cache.LookupBatches, 1, 200);
    }

    [Fact]
    public async Task AStoreBatchThatFails_StoresNoneOfItsReplies_AndTellsEachCaller()
    {
        var store = new VlmReplyCache(db.DataSource);
        // PostgreSQL refuses a NUL in text, so this statement fails after it has started: the crash in the middle
        // of a batch. The batch is one statement, so none of its rows may remain.
        var batch = new[] { Reply("failing-1", "fine"), Reply("failing-2", "bad \0 byte"), Reply("failing-3", "fine") };
        await Assert.ThrowsAnyAsync<PostgresException>(() => store.PutManyAsync(batch));
        Assert.Empty(await store.TryGetManyAsync(batch.Select(r => r.RequestHash).ToList()));

        // Through the batching cache: a caller whose reply is not stored hears so (its reply is never acted on);
        // the rerun of that request is the only one that is paid twice, and it was never acknowledged.
        var cache = new BatchedReplyCache(store);
        var bad = cache.PutAsync(Reply("failing-4", "bad \0 byte"));
        await Assert.ThrowsAnyAsync<PostgresException>(() => bad);
        Assert.Null(await cache.TryGetAsync("failing-4", CancellationToken.None));
        await cache.PutAsync(Reply("failing-5", "fine"));
        Assert.NotNull(await cache.TryGetAsync("failing-5", CancellationToken.None));
    }

    [Fact]
    public async Task TheFirstStoredReplyForAHashWins()
    {
        var cache = new BatchedReplyCache(new VlmReplyCache(db.DataSource));
        await cache.PutAsync(Reply("first-wins", "first"));
        await Task.WhenAll(cache.PutAsync(Reply("first-wins", "second")), cache.PutAsync(Reply("first-wins", "third")));

        // Twice in one batch: the first of the list.
        await new VlmReplyCache(db.DataSource).PutManyAsync([Reply("twice-in-a-batch", "first"), Reply("twice-in-a-batch", "second")]);

        await using var conn = await db.DataSource.OpenConnectionAsync();
        Assert.Equal(["first"], await conn.QueryAsync<string>("SELECT reply FROM npedit.vlm_replies WHERE request_hash = 'first-wins'"));
        Assert.Equal(["first"], await conn.QueryAsync<string>("SELECT reply FROM npedit.vlm_replies WHERE request_hash = 'twice-in-a-batch'"));
    }

    private static CachedVlmReply Reply(string hash, string text) => new(hash, "shapesworld-annotator", "http://127.0.0.1:1/v1", text, 10, 5, 200);
}
