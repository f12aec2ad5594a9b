using System.Net;
using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpEdit.Jobs.Dashboard;

namespace NpEdit.Jobs.Hosting;

/// <summary>
/// The web process of <c>npedit serve</c> (and of the demo): the Hangfire dashboard at <c>/hangfire</c> with the
/// Pipeline page, plus a Hangfire server unless <see cref="WorkerSettings.Workers"/> is 0.
/// </summary>
public sealed class DashboardHost : IAsyncDisposable
{
    public const string DashboardPath = "/hangfire";

    private readonly WebApplication _app;

    private DashboardHost(WebApplication app, Uri dashboardUrl)
    {
        _app = app;
        DashboardUrl = dashboardUrl;
    }

    public Uri DashboardUrl { get; }

    /// <summary>The host's services (job client, storage) for a process that also enqueues, like the demo.</summary>
    public IServiceProvider Services => _app.Services;

    public static async Task<DashboardHost> StartAsync(NpgsqlDataSource dataSource, string host, int port,
        DashboardAccess access, WorkerSettings workers, CancellationToken ct, Action<IServiceCollection>? configure = null)
    {
        access.EnsureAllowed(host);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        var bind = IPAddress.TryParse(host.Trim('[', ']'), out var address) ? address : null;
        builder.WebHost.ConfigureKestrel(k =>
        {
            if (bind is not null) k.Listen(bind, port);
            else if (DashboardAccess.IsLoopback(host)) k.ListenLocalhost(port);
            else k.ListenAnyIP(port);
        });
        configure?.Invoke(builder.Services);
        builder.Services.AddNpEditJobs(dataSource, workers);
        var app = builder.Build();
        PipelineDashboard.Register(dataSource);
        app.MapHangfireDashboard(DashboardPath, new DashboardOptions
        {
            Authorization = [new DashboardAuthorization(access)],
            DashboardTitle = "NpEdit jobs",
            DisplayStorageConnectionString = false,
            StatsPollingInterval = 5000,
            AppPath = null,
        });
        app.MapGet("/", () => Results.Redirect(DashboardPath));
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e) when (e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await app.DisposeAsync();
            throw new ArgumentException($"Port {port} on {host} is taken (another 'npedit serve'?). Pick another with --port, or 0 for any free port.");
        }
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
            .Select(a => new Uri(a)).First();
        var shownHost = bind is not null && !IPAddress.Any.Equals(bind) && !IPAddress.IPv6Any.Equals(bind) ? host : (DashboardAccess.IsLoopback(host) ? "127.0.0.1" : host);
        return new DashboardHost(app, new Uri($"http://{shownHost}:{bound.Port}{DashboardPath}"));
    }

    public Task WaitForShutdownAsync(CancellationToken ct) => _app.WaitForShutdownAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
