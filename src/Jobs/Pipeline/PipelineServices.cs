using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NpEdit.Jobs.Grids;
using NpEdit.Jobs.Pipeline.Jobs;

namespace NpEdit.Jobs.Pipeline;

/// <summary>The job classes and what they need, for Hangfire's container-based activation.</summary>
public static class PipelineServices
{
    public static IServiceCollection AddPipelineJobs(this IServiceCollection services)
    {
        services.TryAddSingleton<IPipelineStages, LibraryStages>();
        services.AddTransient<GridSubmitter>();
        services.AddTransient<GridReporter>();
        services.AddTransient<BuildDatasetUnitJob>();
        services.AddTransient<FinalizeDatasetJob>();
        services.AddTransient<PretrainRunJob>();
        services.AddTransient<TrainRunJob>();
        services.AddTransient<GenerateBenchmarkJob>();
        services.AddTransient<EvaluateRunJob>();
        services.AddTransient<ExpandGridJob>();
        services.AddTransient<ReportGridJob>();
        return services;
    }
}
