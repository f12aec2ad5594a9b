using System.Diagnostics;
using System.Globalization;
using System.Text;
using NpEdit.Evaluator.Oracle;
using NpEdit.Jobs.Tests.Support;
using NpEdit.Testing;

namespace NpEdit.Jobs.Tests.Cli;

/// <summary><c>npedit oracle train</c> as a real process: stopped by SIGTERM mid-run, it keeps the steps it did.</summary>
public sealed class OracleTrainCommandFacts : IDisposable
{
    private readonly TempDirectory temp = new("oracle-train-cli");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Sigterm_SavesTheOracleAtTheStepItReached()
    {
        var weights = Path.Combine(temp.Path, "oracle.safetensors");
        var env = new Dictionary<string, string?> { ["NPEDIT_TORCH_THREADS"] = "1" };
        using var process = Process.Start(NpeditStart.Info(env,
            ["oracle", "train", "--out", weights, "--steps", "1000000", "--batch", "2", "--eval-scenes", "0", "--device", "cpu"]))!;
        var output = new StringBuilder();
        var stderr = process.StandardError.ReadToEndAsync();   // drained all along; awaited only once the process has ended
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var reached = false;
        try
        {
            while (!reached && await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                output.AppendLine(line);
                reached = line.Contains("step 50/", StringComparison.Ordinal);
            }
            if (reached)
                using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
                    await kill.WaitForExitAsync(deadline.Token);
            output.Append(await process.StandardOutput.ReadToEndAsync(deadline.Token));
            await process.WaitForExitAsync(deadline.Token);
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }

        var log = output + await stderr;
        Assert.True(reached, log);
        Assert.True(process.ExitCode == 130, log);
        Assert.Contains("Stopped at step", log);
        var saved = OracleCheckpoint.ReadConfig(weights);
        Assert.InRange(saved.Training.Steps, 50, 999_999);
        Assert.Null(saved.Training.HeldOut);
        using var parser = OracleCheckpoint.Load(weights);
    }
}
