using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using NpEdit.Jobs.Hosting;
using NpEdit.Jobs.Tests.Cli;
using NpEdit.Jobs.Tests.Support;

namespace NpEdit.Jobs.Tests.Hosting;

public sealed partial class ServeFacts : IAsyncLifetime
{
    private readonly JobsDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [GeneratedRegex(@"dashboard: (http://\S+/hangfire)")]
    private static partial Regex Ready();

    [Theory]
    [InlineData("0.0.0.0", null)]
    [InlineData("0.0.0.0", DashboardAccess.UserVariable)]
    public async Task NonLoopbackBind_WithoutCredentials_IsRefused(string host, string? onlyVariable)
    {
        var env = _db.Environment;
        env[DashboardAccess.TokenVariable] = null;
        env[DashboardAccess.UserVariable] = null;
        env[DashboardAccess.PasswordVariable] = null;
        if (onlyVariable is not null)
            env[onlyVariable] = "admin";

        var serve = await NpeditProcess.RunAsync(env, "serve", "--host", host, "--port", "0");

        Assert.Equal(1, serve.ExitCode);
        Assert.Contains(onlyVariable is null ? "Refusing to bind" : "Set both", serve.Output);
        Assert.Contains(DashboardAccess.PasswordVariable, serve.Output);
        Assert.DoesNotContain("   at ", serve.Output);
    }

    [Fact]
    public async Task NonLoopbackBind_WithAToken_Serves_AndTheDashboardDemandsTheToken()
    {
        var env = _db.Environment;
        env[DashboardAccess.TokenVariable] = "s3cret-token-for-tests";
        var (serve, ready) = await LongRunningNpedit.StartAsync(env, Ready(), "serve", "--host", "0.0.0.0", "--port", "0", "--no-worker");
        await using var _ = serve;
        var port = new Uri(ready.Groups[1].Value).Port;
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });
        var url = $"http://127.0.0.1:{port}/hangfire/pipeline";

        using var anonymous = await http.GetAsync(url);
        using var wrong = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url)
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "guess") },
        });
        using var bearer = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, url)
        {
            Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token-for-tests") },
        });
        using var query = await http.GetAsync($"{url}?token=s3cret-token-for-tests");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Contains("npedit-pipeline", await bearer.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Contains(query.Headers.GetValues("Set-Cookie"), c => c.StartsWith($"{DashboardAuthorization.CookieName}=", StringComparison.Ordinal));
    }
}
