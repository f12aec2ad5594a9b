using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace NpEdit.Jobs.Tests.Support;

/// <summary>A long-running <c>npedit</c> child process (serve, worker) that is ready once a line of its output matches.</summary>
internal sealed class LongRunningNpedit : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Match> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Regex _readyLine;

    private LongRunningNpedit(Process process, Regex readyLine)
    {
        _process = process;
        _readyLine = readyLine;
    }

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static async Task<(LongRunningNpedit Process, Match Ready)> StartAsync(
        IReadOnlyDictionary<string, string?> environment, Regex readyLine, params string[] args)
    {
        var process = new Process { StartInfo = NpeditStart.Info(environment, args), EnableRaisingEvents = true };
        var running = new LongRunningNpedit(process, readyLine);
        process.OutputDataReceived += (_, e) => running.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => running.OnLine(e.Data);
        process.Exited += (_, _) => running._ready.TrySetException(
            new InvalidOperationException($"npedit {string.Join(' ', args)} exited early:\n{running.Output}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await using var _ = timeout.Token.Register(() => running._ready.TrySetException(
            new TimeoutException($"npedit {string.Join(' ', args)} did not get ready in 60 s:\n{running.Output}")));
        var match = await running._ready.Task;
        return (running, match);
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
        var m = _readyLine.Match(line);
        if (m.Success)
            _ready.TrySetResult(m);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
