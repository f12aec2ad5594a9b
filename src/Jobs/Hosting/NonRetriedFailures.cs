using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using NpEdit.Core.Config;
using NpEdit.Jobs.Pipeline;

namespace NpEdit.Jobs.Hosting;

/// <summary>
/// The one list of failures that no retry can fix — a bad config, a missing file or folder, corrupt data, a stage
/// this build lacks: a job failing with one of them stays failed at once, however many attempts its
/// <see cref="AutomaticRetryAttribute"/> allows for the rest (a lost connection, a crashed worker). Registered
/// globally by <see cref="JobsServices.Configure"/>. It runs after Hangfire's retry filter and, when that filter
/// replaced such a failure with a retry, puts the failure back, so the dashboard shows the error to fix.
/// </summary>
public sealed class NonRetriedFailures : JobFilterAttribute, IElectStateFilter
{
    public static IReadOnlyList<Type> Exceptions { get; } =
    [
        typeof(StageUnavailableException), typeof(ConfigException), typeof(FileNotFoundException),
        typeof(DirectoryNotFoundException), typeof(InvalidDataException),
    ];

    public NonRetriedFailures() => Order = new AutomaticRetryAttribute().Order + 1;

    public static bool IsNonRetried(Exception? exception) =>
        exception is not null && Exceptions.Any(type => type.IsInstanceOfType(exception));

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is FailedState)
            return;
        // The failure the retry filter replaced (it is kept among the states traversed during this election).
        if (context.TraversedStates.OfType<FailedState>().LastOrDefault() is { } failed && IsNonRetried(failed.Exception))
            context.CandidateState = failed;
    }
}
