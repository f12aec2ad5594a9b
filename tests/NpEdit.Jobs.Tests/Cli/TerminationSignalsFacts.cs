using System.Runtime.InteropServices;
using NpEdit.Jobs.Cli;

namespace NpEdit.Jobs.Tests.Cli;

public sealed class TerminationSignalsFacts
{
    [Fact]
    public async Task TwoSigterms_CancelOnce_AndEndTheProcessOnceAfterTheGracePeriod()
    {
        // GNU timeout's pattern: SIGTERM to the command, then to its process group, at once.
        var exits = new List<int>();
        using var signals = new TerminationSignals(TimeSpan.FromMilliseconds(100), code => { lock (exits) exits.Add(code); }, register: false);
        Assert.False(signals.Token.IsCancellationRequested);

        var first = signals.OnSignal(PosixSignal.SIGTERM);
        var second = signals.OnSignal(PosixSignal.SIGTERM);

        Assert.True(signals.Token.IsCancellationRequested);
        Assert.True(second.IsCompleted);
        Assert.Empty(exits); // the command gets the grace period to save and return
        await first.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([143], exits);
    }

    [Fact]
    public async Task CtrlC_ExitsWith130()
    {
        var exit = new TaskCompletionSource<int>();
        using var signals = new TerminationSignals(TimeSpan.Zero, code => exit.TrySetResult(code), register: false);
        await signals.OnSignal(PosixSignal.SIGINT);
        Assert.Equal(130, await exit.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
