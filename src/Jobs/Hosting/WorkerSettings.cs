namespace NpEdit.Jobs.Hosting;

/// <summary>What a Hangfire server in this process serves; <see cref="Workers"/> = 0 means no server (dashboard only).</summary>
public sealed record WorkerSettings(IReadOnlyList<string> Queues, int Workers)
{
    public static WorkerSettings None { get; } = new([], 0);

    public static WorkerSettings AllQueues(int workers) => new(JobQueues.All, workers);

    public void Validate()
    {
        if (Workers < 0 || Workers > 64)
            throw new ArgumentException($"--workers must be between 0 and 64 (got {Workers}).");
    }
}
