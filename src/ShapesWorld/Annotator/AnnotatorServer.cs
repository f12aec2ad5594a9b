using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NpEdit.ShapesWorld.Annotator;

/// <summary>
/// An OpenAI-compatible endpoint on 127.0.0.1 (<c>GET /v1/models</c>, <c>POST /v1/chat/completions</c>) that
/// stands in for the paper's Qwen2.5-VL-32B annotator on ShapesWorld images, with seeded fault injection.
/// </summary>
public sealed class AnnotatorServer : IAsyncDisposable
{
    // Fixed so that /v1/models is byte-stable across runs.
    private const long CreatedUnix = 1_735_689_600;

    private readonly WebApplication _app;
    private readonly AnnotatorOptions _options;
    private readonly FaultInjector _faults;
    private readonly DecodedImageCache _images = new();
    private long _requestCount;

    private AnnotatorServer(WebApplication app, AnnotatorOptions options)
    {
        _app = app;
        _options = options;
        _faults = new FaultInjector(options.Faults, options.LatencyMs, options.JitterMs, options.Seed);
    }

    public int Port { get; private set; }

    /// <summary>The OpenAI base address, e.g. http://127.0.0.1:8000/v1 (what OpenAIClientOptions.Endpoint wants).</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}/v1");

    public long RequestCount => Interlocked.Read(ref _requestCount);

    public static async Task<AnnotatorServer> StartAsync(AnnotatorOptions options, CancellationToken ct = default)
    {
        options.Validate();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        var server = new AnnotatorServer(app, options);
        app.MapGet("/v1/models", () => Results.Json(new
        {
            @object = "list",
            data = new[] { new { id = options.ModelId, @object = "model", created = CreatedUnix, owned_by = "npedit-shapesworld" } },
        }));
        app.MapPost("/v1/chat/completions", server.ChatAsync);
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException ex) when (ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) || ex.InnerException is System.Net.Sockets.SocketException)
        {
            await app.DisposeAsync();
            throw new InvalidOperationException($"Port {options.Port} on 127.0.0.1 is already in use; pass another --port (0 picks a free one) or stop the process that holds it.", ex);
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.Port = new Uri(address).Port;
        return server;
    }

    public Task WaitForShutdownAsync(CancellationToken ct) => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(_app, ct);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ChatAsync(HttpContext http)
    {
        Interlocked.Increment(ref _requestCount);
        var ct = http.RequestAborted;
        var (fault, delay) = _faults.Next();
        if (delay > TimeSpan.Zero) await Task.Delay(delay, ct);
        switch (fault)
        {
            case FaultKind.TooManyRequests:
                http.Response.Headers.RetryAfter = "1";
                await WriteError(http, 429, "rate_limit_exceeded", "Injected fault: too many requests, retry later.");
                return;
            case FaultKind.ServerError:
                await WriteError(http, 500, "server_error", "Injected fault: internal server error.");
                return;
            case FaultKind.Timeout:
                await Task.Delay(_options.Faults.TimeoutHang, ct);
                http.Abort();
                return;
            case FaultKind.Garbage:
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync("{\"id\":\"chatcmpl-garbage\",\"choices\":[{\"message\":{\"content\":\"Valid\u0000ity: ##", ct);
                return;
        }

        ChatRequestReader.ChatInput input;
        try
        {
            using var doc = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
            input = ChatRequestReader.Read(doc.RootElement, _options.Registry, _options.Parser, _images);
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            await WriteError(http, 400, "invalid_request_error", $"Could not read the request: {ex.Message}");
            return;
        }
        if (input.Stream)
        {
            await WriteError(http, 400, "invalid_request_error", "Streaming is not supported by the ShapesWorld annotator; send stream=false.");
            return;
        }

        string answer = AnnotatorResponder.Respond(input.Text, input.Images);
        int completionTokens = ChatRequestReader.TextTokens(answer) + 1;
        long n = RequestCount;
        await http.Response.WriteAsJsonAsync(new
        {
            id = $"chatcmpl-sw{n:x8}",
            @object = "chat.completion",
            created = CreatedUnix + n,
            model = input.Model.Length > 0 ? input.Model : _options.ModelId,
            choices = new[] { new { index = 0, message = new { role = "assistant", content = answer }, finish_reason = "stop", logprobs = (object?)null } },
            usage = new { prompt_tokens = input.PromptTokens, completion_tokens = completionTokens, total_tokens = input.PromptTokens + completionTokens },
        }, ct);
    }

    private static Task WriteError(HttpContext http, int status, string code, string message)
    {
        http.Response.StatusCode = status;
        return http.Response.WriteAsJsonAsync(new { error = new { message, type = code, code } });
    }
}
