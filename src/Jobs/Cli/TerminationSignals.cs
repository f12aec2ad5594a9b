using System.Runtime.InteropServices;

namespace NpEdit.Jobs.Cli;

/// <summary>
/// Turns SIGINT and SIGTERM into one cancellation of the command's token, so long commands finish their step and save
/// a checkpoint, and ends the process if the command has not returned within a grace period. It replaces
/// System.CommandLine's own handler, which throws from its signal callback on a second signal ("transition a task to a
/// final state when it had already completed") — and GNU <c>timeout</c> sends SIGTERM to the command and then to its
/// process group, so every command stopped by <c>timeout</c> got two and crashed instead of saving.
/// </summary>
public sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource cancellation = new();
    private readonly TimeSpan grace;
    private readonly Action<int> exit;
    private readonly PosixSignalRegistration[] registrations;
    private int received;

    /// <param name="grace">How long a cancelled command may take to return before the process ends anyway.</param>
    /// <param name="exit">Ends the process with an exit code (<see cref="Environment.Exit"/>; tests pass their own).</param>
    /// <param name="register">Whether to register for the process's signals (tests drive <see cref="OnSignal"/> instead).</param>
    public TerminationSignals(TimeSpan grace, Action<int>? exit = null, bool register = true)
    {
        this.grace = grace;
        this.exit = exit ?? Environment.Exit;
        registrations = register
            ? [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)]
            : [];
    }

    /// <summary>Cancelled at the first SIGINT or SIGTERM.</summary>
    public CancellationToken Token => cancellation.Token;

    /// <summary>
    /// A signal arrived: the first cancels <see cref="Token"/> and starts the grace period; later ones change nothing.
    /// </summary>
    /// <returns>The task that ends the process when the grace period runs out (the first signal's; later ones get a completed task).</returns>
    public Task OnSignal(PosixSignal signal)
    {
        if (Interlocked.Exchange(ref received, 1) == 1)
            return Task.CompletedTask;
        cancellation.Cancel();
        var code = signal == PosixSignal.SIGINT ? 130 : 143; // 128 + the signal number, as a shell reports it
        return Task.Delay(grace).ContinueWith(_ => exit(code), TaskScheduler.Default);
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true; // the command ends itself (a checkpoint, a requeued job) within the grace period
        _ = OnSignal(context.Signal);
    }

    public void Dispose()
    {
        foreach (var registration in registrations)
            registration.Dispose();
        cancellation.Dispose();
    }
}
