using System.Diagnostics;

namespace NpEdit.Core.Database;

/// <summary>
/// Runs PostgreSQL tools. PostgreSQL refuses to run as root, so when this process is root the tools run
/// as the unprivileged <c>postgres</c> account (created by the distribution's package) through <c>runuser</c>.
/// </summary>
internal static class PostgresProcess
{
    public const string ServiceAccount = "postgres";

    // Environment.UserName resolves the effective uid.
    public static bool IsRoot { get; } = OperatingSystem.IsLinux() && Environment.UserName == "root";

    public static async Task<(int ExitCode, string Output)> RunAsync(
        string executable, IEnumerable<string> arguments, CancellationToken ct, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (IsRoot)
        {
            psi.FileName = "runuser";
            foreach (var a in new[] { "-u", ServiceAccount, "--", executable })
                psi.ArgumentList.Add(a);
        }
        else
        {
            psi.FileName = executable;
        }
        foreach (var a in arguments)
            psi.ArgumentList.Add(a);
        psi.Environment["LC_ALL"] = "C";

        using var process = Process.Start(psi)
            ?? throw new DatabaseSetupException($"Could not start '{executable}'.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout ?? TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    /// <summary>Gives the service account ownership of a folder the cluster writes to.</summary>
    public static async Task HandOverAsync(string directory, CancellationToken ct)
    {
        if (!IsRoot)
            return;
        var psi = new ProcessStartInfo("chown") { UseShellExecute = false, RedirectStandardError = true };
        foreach (var a in new[] { "-R", $"{ServiceAccount}:", directory })
            psi.ArgumentList.Add(a);
        using var chown = Process.Start(psi)!;
        var err = await chown.StandardError.ReadToEndAsync(ct);
        await chown.WaitForExitAsync(ct);
        if (chown.ExitCode != 0)
            throw new DatabaseSetupException(
                $"Running as root, the embedded PostgreSQL must run as the '{ServiceAccount}' account, but handing " +
                $"'{directory}' to it failed: {err.Trim()}. Install PostgreSQL from the distribution (it creates the account) " +
                "or set NPEDIT_DB to an existing server.");
    }

    /// <summary>Whether the service account can reach <paramref name="directory"/> (it and every parent searchable).</summary>
    public static async Task<bool> ServiceAccountCanReachAsync(string directory, CancellationToken ct)
    {
        if (!IsRoot)
            return true;
        var (code, _) = await RunAsync("test", ["-x", directory], ct);
        return code == 0;
    }
}
