using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Intrinsics.X86;
using NpEdit.Trainer.Runtime;

namespace NpEdit.Jobs.Cli;

/// <summary>
/// <c>npedit doctor --check-onednn</c>: runs <see cref="ConvolutionCheck"/> under oneDNN's instruction-set caps from the
/// highest down, each in a child process (oneDNN reads its cap once per process), stops at the first exact one and
/// records it for this machine (<see cref="OneDnnVerdictStore"/>), so later processes run the fastest exact kernels
/// instead of <see cref="OneDnnIsaCap.Cap"/>.
/// </summary>
internal static class OneDnnCapSearch
{
    /// <summary>The hidden doctor option a child runs: the check under its environment's cap, one tab-separated line.</summary>
    public const string ChildOption = "--convolutions-only";

    /// <summary>What the child prints before its numbers.</summary>
    public const string ChildMarker = "convolutions";

    static readonly TimeSpan ChildTimeout = TimeSpan.FromMinutes(2);

    /// <summary>The caps worth trying on this CPU, highest first (a cap above what the CPU has would repeat the one below).</summary>
    public static IReadOnlyList<string> Candidates() =>
        [.. OneDnnIsaCap.KnownCaps.Where(cap => cap switch
        {
            "AVX512_CORE" => Avx512F.IsSupported,
            "AVX2" => Avx2.IsSupported,
            "AVX" => Avx.IsSupported,
            _ => true,
        })];

    /// <summary>Tries the caps from the highest down, reporting each; returns every trial, the last one exact unless none was.</summary>
    public static async Task<IReadOnlyList<OneDnnCapTrial>> RunAsync(Action<OneDnnCapTrial> report, CancellationToken ct)
    {
        var trials = new List<OneDnnCapTrial>();
        foreach (var isa in Candidates())
        {
            var trial = await TryAsync(isa, ct);
            trials.Add(trial);
            report(trial);
            if (trial.Exact)
                break;
        }
        return trials;
    }

    /// <summary>Records <paramref name="exact"/> as this machine's verdict; returns the file written.</summary>
    public static string Record(OneDnnCapTrial exact)
    {
        var path = OneDnnVerdictStore.DefaultPath;
        OneDnnVerdictStore.Save(path, new OneDnnVerdict(OneDnnVerdictStore.MachineKey(), exact.Isa, exact.WorstError, DateTimeOffset.UtcNow));
        return path;
    }

    static async Task<OneDnnCapTrial> TryAsync(string isa, CancellationToken ct)
    {
        using var process = Process.Start(ChildStart(isa))
            ?? throw new InvalidOperationException($"could not start {Environment.ProcessPath}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(ChildTimeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            ct.ThrowIfCancellationRequested();
            return new OneDnnCapTrial(isa, double.PositiveInfinity, $"the check did not finish in {ChildTimeout.TotalMinutes:F0} min");
        }

        var line = (await stdout).Split('\n').FirstOrDefault(l => l.StartsWith(ChildMarker + "\t", StringComparison.Ordinal));
        var fields = line?.TrimEnd('\r').Split('\t');
        if (process.ExitCode != 0 || fields is not { Length: 3 }
            || !double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var error))
        {
            var tail = (await stderr).Trim();
            return new OneDnnCapTrial(isa, double.PositiveInfinity,
                $"the check failed (exit code {process.ExitCode}){(tail.Length > 0 ? ": " + tail[Math.Max(0, tail.Length - 300)..] : "")}");
        }
        return new OneDnnCapTrial(isa, error, fields[2]);
    }

    static ProcessStartInfo ChildStart(string isa)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        // Under 'dotnet npedit.dll' the host is dotnet and the app is the entry assembly; an apphost is the app itself.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet" && Assembly.GetEntryAssembly()?.Location is { Length: > 0 } app)
            start.ArgumentList.Add(app);
        start.ArgumentList.Add("doctor");
        start.ArgumentList.Add(ChildOption);
        start.Environment[OneDnnIsaCap.Variable] = isa;
        start.Environment.Remove(OneDnnIsaCap.LegacyVariable);
        return start;
    }
}
