using System.Diagnostics;

namespace NpEdit.Jobs.Tests.Cli;

/// <summary>Runs the real <c>npedit</c> CLI (the build output next to the tests) as a child process.</summary>
internal static class NpeditProcess
{
    public static async Task<(int ExitCode, string Output)> RunAsync(
        IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "npedit.dll"));
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        // Wide output so table cells are not wrapped mid-word.
        psi.Environment["COLUMNS"] = "250";
        foreach (var (key, value) in environment)
            psi.Environment[key] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
