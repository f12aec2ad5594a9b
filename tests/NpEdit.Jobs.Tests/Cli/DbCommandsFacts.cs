using System.Text.RegularExpressions;
using NpEdit.Core.Database;
using NpEdit.Testing;

namespace NpEdit.Jobs.Tests.Cli;

/// <summary>`npedit db ...` against a private state folder (NPEDIT_HOME), as separate processes.</summary>
public sealed partial class DbCommandsFacts : IAsyncLifetime
{
    private readonly IsolatedHome _home = new();
    private Dictionary<string, string?> Env => _home.Environment;

    public Task InitializeAsync() => _home.InitializeAsync();
    public Task DisposeAsync() => _home.DisposeAsync();

    [GeneratedRegex(@"PostgreSQL at 127\.0\.0\.1:(\d+)/npedit")]
    private static partial Regex Endpoint();

    [Fact]
    public async Task Up_EndsWithOneClusterAtTheLatestSchema_WhenTwoProcessesStartAtOnce()
    {
        var runs = await Task.WhenAll(NpeditProcess.RunAsync(Env, "db", "up"), NpeditProcess.RunAsync(Env, "db", "up"));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Output));
        var ports = runs.Select(r => Endpoint().Match(r.Output)).Select(m => m.Success ? m.Groups[1].Value : "none").ToList();
        Assert.Single(ports.Distinct());
        Assert.NotEqual("none", ports[0]);
        var status = await NpeditProcess.RunAsync(Env, "db", "status");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains($"127.0.0.1:{ports[0]}", status.Output);
        Assert.Contains($"schema version {Migration.Embedded()[^1].Version}", status.Output);
    }

    [Fact]
    public async Task Stop_StopsTheCluster_AndStatusSaysSo()
    {
        Assert.Equal(0, (await NpeditProcess.RunAsync(Env, "db", "up")).ExitCode);

        var stop = await NpeditProcess.RunAsync(Env, "db", "stop");

        Assert.Equal(0, stop.ExitCode);
        Assert.Contains("stopped", stop.Output);
        Assert.Contains("running         no", (await NpeditProcess.RunAsync(Env, "db", "status")).Output);
    }

    [Fact]
    public async Task Reset_Refuses_WithoutYes()
    {
        var reset = await NpeditProcess.RunAsync(Env, "db", "reset");

        Assert.Equal(1, reset.ExitCode);
        Assert.Contains("--yes", reset.Output);
    }

    [Fact]
    public async Task Up_PrintsOneClearError_WhenNpeditDbIsMalformed()
    {
        var env = Env;
        env["NPEDIT_DB"] = "Host=127.0.0.1;NoSuchKeyword=1";

        var up = await NpeditProcess.RunAsync(env, "db", "up");

        Assert.Equal(1, up.ExitCode);
        Assert.Contains("NPEDIT_DB is not a valid", up.Output);
        Assert.DoesNotContain("   at ", up.Output);
    }
}
