using Hangfire;
using Hangfire.PostgreSql;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpEdit.Jobs.Pipeline;

namespace NpEdit.Jobs.Hosting;

/// <summary>
/// Registers Hangfire on the platform database, the job classes and (when <see cref="WorkerSettings.Workers"/> &gt; 0)
/// a server. Shared by <c>npedit serve</c>, <c>npedit worker</c> and <c>npedit demo</c>.
/// </summary>
public static class JobsServices
{
    public static IServiceCollection AddNpEditJobs(this IServiceCollection services, NpgsqlDataSource dataSource,
        WorkerSettings workers, TimeSpan? pollInterval = null)
    {
        workers.Validate();
        services.AddSingleton(dataSource);
        services.AddHangfire(config => Configure(config, dataSource, pollInterval));
        services.AddPipelineJobs();
        if (workers.Workers > 0)
        {
            services.AddHangfireServer(o =>
            {
                o.Queues = workers.Queues.ToArray();
                o.WorkerCount = workers.Workers;
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                // Cancelled or deleted jobs stop within a second instead of the default five.
                o.CancellationCheckInterval = TimeSpan.FromSeconds(1);
                o.ShutdownTimeout = TimeSpan.FromSeconds(30);
            });
        }
        return services;
    }

    /// <summary>Hangfire's global configuration (storage, serializer, filters); also used by clients that only enqueue.</summary>
    public static IGlobalConfiguration Configure(IGlobalConfiguration config, NpgsqlDataSource dataSource, TimeSpan? pollInterval = null)
    {
        config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings();
        foreach (var filter in Filters(dataSource))
            config.UseFilter(filter);
        return config.UsePostgreSqlStorage(o => o.UseConnectionFactory(new DataSourceConnectionFactory(dataSource)),
            JobStorageSettings.StorageOptions(pollInterval));
    }

    /// <summary>The global job filters every npedit process registers: the execution log and the one no-retry list.</summary>
    public static IReadOnlyList<object> Filters(NpgsqlDataSource dataSource) => [new JobExecutionLog(dataSource), new NonRetriedFailures()];

    /// <summary>A storage for code that only enqueues or inspects jobs (the CLI, tests).</summary>
    public static PostgreSqlStorage Storage(NpgsqlDataSource dataSource, TimeSpan? pollInterval = null) =>
        new(new DataSourceConnectionFactory(dataSource), JobStorageSettings.StorageOptions(pollInterval));
}
