using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.AI.OpenAI;
using NpEdit.Core.Vlm;
using OpenAI;
using OpenAI.Chat;

namespace NpEdit.DatasetBuilder.Vlm;

/// <summary>One endpoint with its own client and in-flight limit.</summary>
internal sealed class EndpointLane : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private int _inFlight;

    public EndpointLane(VlmEndpoint endpoint, string apiKey, VlmClientOptions options)
    {
        Endpoint = endpoint;
        _slots = new SemaphoreSlim(options.MaxInFlightPerEndpoint, options.MaxInFlightPerEndpoint);
        Client = CreateClient(endpoint, apiKey, options);
    }

    public VlmEndpoint Endpoint { get; }
    public ChatClient Client { get; }

    /// <summary>Requests in flight or waiting for a slot: what least-busy dispatch compares.</summary>
    public int Load => Volatile.Read(ref _inFlight);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            await _slots.WaitAsync(ct);
        }
        catch
        {
            Interlocked.Decrement(ref _inFlight);
            throw;
        }
        return new Slot(this);
    }

    public void Dispose() => _slots.Dispose();

    // Retries are ours (with accounting and Retry-After); the SDK's own policy would hide them.
    private static ChatClient CreateClient(VlmEndpoint endpoint, string apiKey, VlmClientOptions options)
    {
        if (endpoint.BaseUrl.Host.EndsWith(".openai.azure.com", StringComparison.OrdinalIgnoreCase))
        {
            var azureOptions = new AzureOpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(0), NetworkTimeout = options.RequestTimeout };
            var azure = new AzureOpenAIClient(new Uri(endpoint.BaseUrl.GetLeftPart(UriPartial.Authority)), new ApiKeyCredential(apiKey), azureOptions);
            // On Azure the "model" is the deployment name.
            return azure.GetChatClient(endpoint.Model);
        }
        var openAiOptions = new OpenAIClientOptions
        {
            Endpoint = endpoint.BaseUrl,
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = options.RequestTimeout,
        };
        return new ChatClient(endpoint.Model, new ApiKeyCredential(apiKey), openAiOptions);
    }

    private sealed class Slot(EndpointLane lane) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
                return;
            lane._slots.Release();
            Interlocked.Decrement(ref lane._inFlight);
        }
    }
}
