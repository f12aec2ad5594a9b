using NpEdit.Core.Datasets;

namespace NpEdit.DatasetBuilder.Vlm;

/// <summary>
/// The reply cache as the dispatcher uses it: the lookups of all requests waiting to be sent, and the stores of all
/// replies just received, each go to PostgreSQL as one statement per batch (<see cref="BatchQueue{TItem,TResult}"/>).
/// A store returns only once its batch is committed, so a reply is acted on only after it is in the cache: a crash
/// mid-batch loses the batch's replies (their callers never saw them; the rerun asks again) and never a reply
/// whose row reached a shard.
/// </summary>
internal sealed class BatchedReplyCache
{
    private const int MaxBatch = 256;
    private readonly BatchQueue<string, CachedVlmReply?> _lookups;
    private readonly BatchQueue<CachedVlmReply, bool> _stores;

    public BatchedReplyCache(VlmReplyCache cache)
    {
        _lookups = new BatchQueue<string, CachedVlmReply?>(async hashes =>
        {
            var found = await cache.TryGetManyAsync(hashes.Distinct(StringComparer.Ordinal).ToList());
            return hashes.Select(h => found.GetValueOrDefault(h)).ToList();
        }, MaxBatch);
        _stores = new BatchQueue<CachedVlmReply, bool>(async replies =>
        {
            await cache.PutManyAsync(replies);
            return replies.Select(_ => true).ToList();
        }, MaxBatch);
    }

    public int LookupBatches => _lookups.Batches;
    public int StoreBatches => _stores.Batches;

    /// <summary>The cached reply, or null. Cancelling stops the wait; the batch it joined still runs for the others.</summary>
    public Task<CachedVlmReply?> TryGetAsync(string requestHash, CancellationToken ct) => _lookups.AddAsync(requestHash).WaitAsync(ct);

    /// <summary>
    /// Completes once the reply is committed. Not cancellable: the reply is paid for, and a build that is being
    /// cancelled must still leave it in the cache so that the rerun does not pay again.
    /// </summary>
    public Task PutAsync(CachedVlmReply reply) => _stores.AddAsync(reply);
}
