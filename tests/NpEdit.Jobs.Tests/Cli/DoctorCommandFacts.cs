using NpEdit.Core.Database;
using NpEdit.Testing;

namespace NpEdit.Jobs.Tests.Cli;

public sealed class DoctorCommandFacts : IAsyncLifetime
{
    private readonly IsolatedHome _home = new();
    private Dictionary<string, string?> Env => _home.Environment;

    public Task InitializeAsync() => _home.InitializeAsync();
    public Task DisposeAsync() => _home.DisposeAsync();

    [Fact]
    public async Task Doctor_ReportsTorchCpuAndPostgresAtTheLatestSchema_OnAFreshState()
    {
        var doctor = await NpeditProcess.RunAsync(Env, "doctor", "--device", "cpu");

        Assert.True(doctor.ExitCode == 0, doctor.Output);
        Assert.Matches(@"torch natives\s*│\s*OK", doctor.Output);
        Assert.Matches(@"device\s*│\s*OK\s*│\s*cpu -> cpu", doctor.Output);
        Assert.Matches(@"PostgreSQL\s*│\s*OK\s*│\s*embedded cluster: 127\.0\.0\.1:\d+/npedit", doctor.Output);
        Assert.Matches($@"schema\s*│\s*OK\s*│\s*version {Migration.Embedded()[^1].Version} \(latest\)", doctor.Output);
        Assert.Contains("ready", doctor.Output);
    }

    [Fact]
    public async Task Doctor_FailsWithAClearMessage_WhenTheDeviceSpecIsInvalid()
    {
        var doctor = await NpeditProcess.RunAsync(Env, "doctor", "--device", "tpu");

        Assert.Equal(1, doctor.ExitCode);
        Assert.Contains("tpu", doctor.Output);
        Assert.Contains("cuda", doctor.Output);
    }

    [Fact]
    public async Task Doctor_ReportsPostgresFailure_WhenNpeditDbIsUnreachable()
    {
        var env = Env;
        env["NPEDIT_DB"] = "Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z;Timeout=3";

        var doctor = await NpeditProcess.RunAsync(env, "doctor", "--device", "cpu");

        Assert.Equal(1, doctor.ExitCode);
        Assert.Matches(@"PostgreSQL\s*│\s*FAIL", doctor.Output);
        Assert.Contains("not ready", doctor.Output);
    }
}
