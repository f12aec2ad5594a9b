using Hangfire;
using Npgsql;

namespace NpEdit.Jobs.Hosting;

/// <summary>Storage and client for a process that enqueues or inspects jobs without running a server (the CLI).</summary>
public sealed record JobsClient(JobStorage Storage, IBackgroundJobClient Jobs)
{
    /// <summary>Applies the same global Hangfire configuration as the servers, so what this process enqueues they can read.</summary>
    public static JobsClient Create(NpgsqlDataSource dataSource)
    {
        JobsServices.Configure(GlobalConfiguration.Configuration, dataSource);
        var storage = JobStorage.Current;
        return new JobsClient(storage, new BackgroundJobClient(storage));
    }
}
