using System.Text.RegularExpressions;
using NpEdit.Core.Database;
using NpEdit.Trainer.Runtime;
using NpEdit.Testing;

namespace NpEdit.Jobs.Tests.Cli;

public sealed class DoctorCommandFacts : IAsyncLifetime
{
    private readonly IsolatedHome _home = new();
    private Dictionary<string, string?> Env => _home.Environment;

    /// <summary>The isolated home, with a verdict cache of its own and no oneDNN cap inherited from the test host.</summary>
    private Dictionary<string, string?> EnvWithOwnCacheAndNoCap()
    {
        var env = Env;
        env["XDG_CACHE_HOME"] = Path.Combine(env["NPEDIT_HOME"]!, "xdg-cache");
        env[OneDnnIsaCap.Variable] = null;
        env[OneDnnIsaCap.LegacyVariable] = null;
        return env;
    }

    public Task InitializeAsync() => _home.InitializeAsync();
    public Task DisposeAsync() => _home.DisposeAsync();

    [Fact]
    public async Task Doctor_ReportsTorchCpuAndPostgresAtTheLatestSchema_OnAFreshState()
    {
        var doctor = await NpeditProcess.RunAsync(Env, "doctor", "--device", "cpu");

        Assert.True(doctor.ExitCode == 0, doctor.Output);
        Assert.Matches(@"torch natives\s*│\s*OK", doctor.Output);
        Assert.Matches(@"device\s*│\s*OK\s*│\s*cpu -> cpu", doctor.Output);
        Assert.Matches(@"convolutions\s*│\s*OK\s*│\s*fp32 matches fp64", doctor.Output);
        Assert.Matches(@"PostgreSQL\s*│\s*OK\s*│\s*embedded cluster: 127\.0\.0\.1:\d+/npedit", doctor.Output);
        Assert.Matches($@"schema\s*│\s*OK\s*│\s*version {Migration.Embedded()[^1].Version} \(latest\)", doctor.Output);
        Assert.Contains("ready", doctor.Output);
    }

    [Fact]
    public async Task CheckOneDnn_RecordsTheHighestExactCapForThisMachine_AndLaterRunsUseIt()
    {
        // Highest cap first: every cap tried before the recorded one gave wrong convolutions on this CPU (all but SSE41
        // on the AMD EPYC VM of bench/RESULTS.md), and the recorded one is the first exact one.
        var env = EnvWithOwnCacheAndNoCap();

        var check = await NpeditProcess.RunAsync(env, "doctor", "--check-onednn");

        Assert.True(check.ExitCode == 0, check.Output);
        var verdict = Assert.Single(OneDnnVerdictStore.Load(Path.Combine(env["XDG_CACHE_HOME"]!, "npedit", "onednn-isa.json")));
        var rows = Regex.Matches(check.Output, @"│ (\w+)\s*│ (\S+)\s*│[^│]*│ (OK|FAIL)\s*│").Select(m => (Isa: m.Groups[1].Value, Verdict: m.Groups[3].Value)).ToList();
        Assert.True(rows.Count >= 1, check.Output);
        Assert.Equal((verdict.Isa, "OK"), rows[^1]);
        Assert.All(rows[..^1], row => Assert.Equal("FAIL", row.Verdict));
        Assert.True(verdict.WorstError < ConvolutionCheck.Tolerance, check.Output);
        Assert.Contains($"recorded {verdict.Isa} for this machine", check.Output);

        var doctor = await NpeditProcess.RunAsync(env, "doctor", "--device", "cpu");

        Assert.True(doctor.ExitCode == 0, doctor.Output);
        Assert.Matches($@"oneDNN ISA cap\s*│\s*OK\s*│\s*{verdict.Isa}: checked exact on this CPU by 'npedit doctor --check-onednn'", doctor.Output);
        Assert.Matches(@"convolutions\s*│\s*OK", doctor.Output);
    }

    [Fact]
    public async Task CheckOneDnn_NamesACorruptVerdictFile_AndLeavesItAsItIs()
    {
        var env = EnvWithOwnCacheAndNoCap();
        var file = Path.Combine(env["XDG_CACHE_HOME"]!, "npedit", "onednn-isa.json");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, "[{ half a verdict");

        var check = await NpeditProcess.RunAsync(env, "doctor", "--check-onednn");

        Assert.Equal(1, check.ExitCode);
        Assert.Contains("could not be recorded", check.Output);
        Assert.Contains("onednn-isa.json is not a oneDNN verdict list", check.Output);
        Assert.Equal("[{ half a verdict", File.ReadAllText(file));
    }

    [Fact]
    public async Task Doctor_KeepsTheSafeCap_WhenTheRecordedCapIsNotOneOneDnnKnows()
    {
        // oneDNN would ignore an unknown value and run uncapped: an edited or damaged verdict must not lift the cap.
        var env = EnvWithOwnCacheAndNoCap();
        OneDnnVerdictStore.Save(Path.Combine(env["XDG_CACHE_HOME"]!, "npedit", "onednn-isa.json"),
            new OneDnnVerdict(OneDnnVerdictStore.MachineKey(), "AVX9000", 1e-7, DateTimeOffset.UtcNow));

        var doctor = await NpeditProcess.RunAsync(env, "doctor", "--device", "cpu");

        Assert.True(doctor.ExitCode == 0, doctor.Output);
        if (System.Runtime.Intrinsics.X86.Avx.IsSupported)
            Assert.Matches($@"oneDNN ISA cap\s*│\s*OK\s*│\s*{OneDnnIsaCap.Cap}: the cap 'AVX9000' recorded in .+ is not one of ALL, AVX512_CORE", doctor.Output);
        else
            Assert.Contains("not needed: no AVX kernels on this CPU", doctor.Output);
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
