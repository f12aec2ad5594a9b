using System.Diagnostics;
using NpEdit.Jobs.Tests.Support;

namespace NpEdit.Jobs.Tests.Cli;

/// <summary>Runs the real <c>npedit</c> CLI (the build output next to the tests) as a child process to its end.</summary>
internal static class NpeditProcess
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(3);

    public static Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        RunAsync(environment, DefaultTimeout, args);

    /// <summary>Runs to the end; past <paramref name="timeout"/> the process tree is killed and the test fails with its output so far.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, params string[] args)
    {
        using var process = Process.Start(NpeditStart.Info(environment, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"npedit {string.Join(' ', args)} did not finish in {timeout.TotalMinutes:F0} min:\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
