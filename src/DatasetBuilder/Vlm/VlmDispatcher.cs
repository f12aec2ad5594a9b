using System.ClientModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using NpEdit.Core.Datasets;
using NpEdit.Core.Vlm;
using OpenAI.Chat;

namespace NpEdit.DatasetBuilder.Vlm;

/// <summary>
/// Sends chat requests to one or more OpenAI-compatible endpoints serving the same model: a completed reply
/// is served from the PostgreSQL cache; otherwise the least busy endpoint gets the request, with a bounded
/// number in flight per endpoint, and transient failures (408, 429, 5xx, timeouts, network errors, garbled
/// replies) are retried with exponential backoff and jitter, honouring <c>Retry-After</c>. This is the one
/// place in the platform that retries (style rule 13).
/// </summary>
public sealed class VlmDispatcher : IDisposable
{
    private readonly EndpointLane[] _lanes;
    private readonly VlmClientOptions _options;
    private readonly BatchedReplyCache? _cache;
    private readonly Random _jitter;
    private readonly Lock _jitterLock = new();
    private int _roundRobin;

    public VlmDispatcher(IReadOnlyList<VlmEndpoint> endpoints, VlmClientOptions options, VlmReplyCache? cache, string? apiKey = null)
    {
        if (endpoints.Count == 0)
            throw new ArgumentException(
                $"No VLM endpoint configured. Set {VlmEndpoint.EndpointsVariable} (model@http://host:port/v1) or start the " +
                "ShapesWorld annotator ('npedit world serve').");
        var models = endpoints.Select(e => e.Model).Distinct().ToList();
        if (models.Count > 1)
            throw new ArgumentException(
                $"All endpoints of one dataset must serve the same model (replies are cached per model), got: {string.Join(", ", models)}.");
        Model = models[0];
        _options = options;
        _cache = cache is null ? null : new BatchedReplyCache(cache);
        _jitter = new Random(options.JitterSeed);
        var key = apiKey ?? Environment.GetEnvironmentVariable(VlmEndpoint.ApiKeyVariable) ?? "EMPTY";
        _lanes = endpoints.Select(e => new EndpointLane(e, key, options)).ToArray();
    }

    public string Model { get; }

    /// <summary>Requests that can be in flight at once, over all endpoints.</summary>
    public int Capacity => _lanes.Length * _options.MaxInFlightPerEndpoint;
    public VlmStats Stats { get; } = new();

    /// <summary>Round trips to the reply cache so far (lookups, stores): far fewer than requests under load.</summary>
    public (int Lookups, int Stores) CacheBatches => _cache is null ? (0, 0) : (_cache.LookupBatches, _cache.StoreBatches);

    public async Task<VlmReply> CompleteAsync(VlmRequest request, CancellationToken ct = default)
    {
        var hash = request.Hash(Model);
        if (_cache is not null && await _cache.TryGetAsync(hash, ct) is { } cached)
        {
            Stats.CacheHit();
            return new VlmReply(hash, cached.Reply, cached.Model, cached.Endpoint, cached.InputTokens, cached.OutputTokens, cached.LatencyMs,
                FromCache: true, Attempts: 0, FailedAttempts: []);
        }

        var messages = BuildMessages(request);
        var completionOptions = BuildOptions(request);
        var failedAttempts = new List<VlmFailureKind>();
        for (var attempt = 1; ; attempt++)
        {
            var lane = LeastBusy();
            var kind = VlmFailureKind.Malformed;
            TimeSpan? retryAfter = null;
            Exception failure = null!;
            VlmReply? reply = null;
            using (await lane.EnterAsync(ct))
            {
                Stats.Attempted();
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_options.RequestTimeout);
                var clock = Stopwatch.StartNew();
                try
                {
                    var completion = (await lane.Client.CompleteChatAsync(messages, completionOptions, timeout.Token)).Value;
                    var text = string.Concat(completion.Content.Where(p => p.Kind == ChatMessageContentPartKind.Text).Select(p => p.Text));
                    if (string.IsNullOrWhiteSpace(text))
                        throw new FormatException("the reply has no text content");
                    reply = new VlmReply(hash, text, Model, lane.Endpoint.BaseUrl.ToString(),
                        completion.Usage?.InputTokenCount ?? 0, completion.Usage?.OutputTokenCount ?? 0,
                        (int)clock.ElapsedMilliseconds, FromCache: false, Attempts: attempt, FailedAttempts: failedAttempts);
                }
                catch (ClientResultException e)
                {
                    failure = e;
                    kind = e.Status switch
                    {
                        429 => VlmFailureKind.RateLimited,
                        408 or >= 500 => VlmFailureKind.ServerError,
                        0 => VlmFailureKind.Network,
                        _ => VlmFailureKind.Rejected,
                    };
                    retryAfter = RetryAfter(e);
                }
                catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
                {
                    (failure, kind) = (e, VlmFailureKind.Timeout);
                }
                catch (HttpRequestException e)
                {
                    (failure, kind) = (e, VlmFailureKind.Network);
                }
                catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
                {
                    // A 200 whose body is not a chat completion (a proxy error page, a truncated stream).
                    (failure, kind) = (e, VlmFailureKind.Malformed);
                }
            }

            if (reply is not null)
            {
                // Cached after the slot is released (the next request does not wait on PostgreSQL) and before the
                // reply is returned, even when the build is being cancelled: it is paid for.
                if (_cache is not null)
                    await _cache.PutAsync(new CachedVlmReply(hash, Model, reply.Endpoint, reply.Text, reply.InputTokens, reply.OutputTokens, reply.LatencyMs));
                Stats.Succeeded(reply);
                return reply;
            }
            Stats.AttemptFailed(kind);
            failedAttempts.Add(kind);
            if (kind == VlmFailureKind.Rejected || attempt >= _options.MaxAttempts)
            {
                Stats.Failed();
                throw new VlmCallException(kind, attempt, failedAttempts, hash,
                    $"{request.Prompt}: {Describe(kind)} from {lane.Endpoint.BaseUrl} after {attempt} attempt(s): {failure.Message}", failure);
            }
            await Task.Delay(Backoff(attempt, retryAfter), ct);
        }
    }

    public void Dispose()
    {
        foreach (var lane in _lanes)
            lane.Dispose();
    }

    private EndpointLane LeastBusy()
    {
        // Start the scan at a rotating index so equal loads spread across endpoints.
        var start = (int)((uint)Interlocked.Increment(ref _roundRobin) % (uint)_lanes.Length);
        var best = _lanes[start];
        for (var i = 1; i < _lanes.Length; i++)
        {
            var lane = _lanes[(start + i) % _lanes.Length];
            if (lane.Load < best.Load)
                best = lane;
        }
        return best;
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        double jitter;
        lock (_jitterLock)
            jitter = _jitter.NextDouble();
        var exponential = _options.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1) * (1 + jitter);
        var delay = TimeSpan.FromMilliseconds(Math.Min(exponential, _options.MaxDelay.TotalMilliseconds));
        return retryAfter is { } ra && ra > delay ? (ra < _options.MaxDelay ? ra : _options.MaxDelay) : delay;
    }

    private static TimeSpan? RetryAfter(ClientResultException e)
    {
        var response = e.GetRawResponse();
        if (response is null || !response.Headers.TryGetValue("Retry-After", out var value) || value is null)
            return null;
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return TimeSpan.FromSeconds(Math.Max(0, seconds));
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at - DateTimeOffset.UtcNow is var d && d > TimeSpan.Zero ? d : TimeSpan.Zero
            : null;
    }

    private static List<ChatMessage> BuildMessages(VlmRequest request)
    {
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrWhiteSpace(request.System))
            messages.Add(new SystemChatMessage(request.System));
        var parts = request.Images
            .Select(i => ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(i.Bytes), i.MediaType))
            .Append(ChatMessageContentPart.CreateTextPart(request.User));
        messages.Add(new UserChatMessage(parts));
        return messages;
    }

    private static ChatCompletionOptions BuildOptions(VlmRequest request)
    {
        var options = new ChatCompletionOptions
        {
            Temperature = request.Temperature,
            MaxOutputTokenCount = request.MaxOutputTokens,
        };
#pragma warning disable OPENAI001 // Seed is marked experimental by the SDK; vLLM honours it.
        if (request.Seed is { } seed)
            options.Seed = seed;
#pragma warning restore OPENAI001
        return options;
    }

    private static string Describe(VlmFailureKind kind) => kind switch
    {
        VlmFailureKind.RateLimited => "rate limited (HTTP 429)",
        VlmFailureKind.ServerError => "server error",
        VlmFailureKind.Timeout => "timeout",
        VlmFailureKind.Network => "network error (is the endpoint running?)",
        VlmFailureKind.Malformed => "unreadable reply",
        VlmFailureKind.Rejected => "request rejected (check the model name and the request)",
        _ => kind.ToString(),
    };
}
