using Hangfire;
using Hangfire.States;
using NpEdit.Core.Config;
using NpEdit.Jobs.Tests.Support;

namespace NpEdit.Jobs.Tests.Hosting;

/// <summary>
/// The global no-retry list, on a real Hangfire server with the filters every npedit process registers: a job whose
/// attribute allows retries still fails at once on a failure that needs a fix (a bad config, a missing file), and
/// is retried on any other failure.
/// </summary>
public sealed class NonRetriedFailuresFacts : IAsyncLifetime
{
    private readonly JobsDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [Fact]
    public async Task AFailureThatNeedsAFix_FailsAtOnce_AndOthersAreRetried()
    {
        var badConfig = _db.Jobs.Enqueue<FailingJob>(j => j.Fail(nameof(ConfigException)));
        var missingFile = _db.Jobs.Enqueue<FailingJob>(j => j.Fail(nameof(FileNotFoundException)));
        var lostConnection = _db.Jobs.Enqueue<FailingJob>(j => j.Fail(nameof(IOException)));

        using (new BackgroundJobServer(new BackgroundJobServerOptions
               {
                   WorkerCount = 1,
                   FilterProvider = _db.FilterProvider(),
                   SchedulePollingInterval = TimeSpan.FromSeconds(1),
               }, _db.Storage))
        {
            var deadline = DateTime.UtcNow.AddSeconds(45);
            while (State(badConfig) != FailedState.StateName || State(missingFile) != FailedState.StateName || State(lostConnection) != ScheduledState.StateName)
            {
                Assert.True(DateTime.UtcNow < deadline,
                    $"states after 45 s: bad config {State(badConfig)}, missing file {State(missingFile)}, lost connection {State(lostConnection)}");
                await Task.Delay(200);
            }
        }

        using var connection = _db.Storage.GetConnection();
        Assert.Contains("needs a fix", connection.GetStateData(badConfig).Data["ExceptionMessage"]);
        Assert.Contains("Retry attempt 1 of 2", connection.GetStateData(lostConnection).Reason);
        Assert.Equal(1, (await _db.DataSource.CreateCommand(
            $"SELECT count(*) FROM npedit.job_executions WHERE job_id = '{missingFile}'").ExecuteScalarAsync()) is long n ? n : -1);
    }

    private string State(string jobId)
    {
        using var connection = _db.Storage.GetConnection();
        return connection.GetJobData(jobId)?.State ?? "none";
    }

    public sealed class FailingJob
    {
        [AutomaticRetry(Attempts = 2)]
        public void Fail(string failure) => throw failure switch
        {
            nameof(ConfigException) => new ConfigException("the key 'schedule.stpes' does not exist: this needs a fix"),
            nameof(FileNotFoundException) => new FileNotFoundException("the critic checkpoint is missing: this needs a fix"),
            _ => new IOException("the connection was reset"),
        };
    }
}
