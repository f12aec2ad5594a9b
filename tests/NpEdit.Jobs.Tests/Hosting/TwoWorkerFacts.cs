using System.Text.RegularExpressions;
using Dapper;
using Hangfire;
using NpEdit.Jobs.Grids;
using NpEdit.Jobs.Hosting;
using NpEdit.Jobs.Pipeline.Jobs;
using NpEdit.Jobs.Tests.Support;

namespace NpEdit.Jobs.Tests.Hosting;

/// <summary>The scale-out model: separate worker processes on one database and one queue never run a job twice.</summary>
public sealed partial class TwoWorkerFacts : IAsyncLifetime
{
    private readonly JobsDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [GeneratedRegex(@"^worker (\S+): \d+ worker")]
    private static partial Regex Ready();

    [Fact]
    public async Task TwoWorkerProcesses_OnOneQueue_RunEveryJobExactlyOnce()
    {
        const int jobCount = 24;
        var gridId = await new GridStore(_db.DataSource).UpsertAsync(GridSpec.Load(RepoFiles.Grid("grid-table4-data-scale.yaml")));
        // Queued before any worker starts, so both find a full queue and compete for every job.
        var ids = Enumerable.Range(0, jobCount)
            .Select(_ => _db.Jobs.Enqueue<ExpandGridJob>(JobQueues.Default, j => j.RunAsync(gridId, null, CancellationToken.None)))
            .ToList();

        var starts = await Task.WhenAll(
            LongRunningNpedit.StartAsync(_db.Environment, Ready(), "worker", "--queues", "default", "--workers", "2"),
            LongRunningNpedit.StartAsync(_db.Environment, Ready(), "worker", "--queues", "default", "--workers", "2"));
        await using var a = starts[0].Process;
        await using var b = starts[1].Process;

        var monitor = _db.Storage.GetMonitoringApi();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (monitor.SucceededListCount() < jobCount && DateTime.UtcNow < deadline)
            await Task.Delay(250);

        Assert.True(monitor.SucceededListCount() == jobCount,
            $"{monitor.SucceededListCount()}/{jobCount} succeeded, {monitor.FailedCount()} failed\n{a.Output}\n{b.Output}");
        await using var conn = await _db.DataSource.OpenConnectionAsync();
        var executions = (await conn.QueryAsync<(string JobId, string ServerId, string Outcome)>(
            "SELECT job_id, server_id, outcome FROM npedit.job_executions")).AsList();
        Assert.Equal(ids.Order(), executions.Select(e => e.JobId).Order());
        Assert.All(executions, e => Assert.Equal("succeeded", e.Outcome));
        // Both processes took part (the ids differ by process), so the single executions were a real contest.
        Assert.Equal(2, executions.Select(e => e.ServerId.Split(':')[1]).Distinct().Count());
        // Two dozen concurrent expansions of one grid still made each run, and queued each chain, once.
        Assert.Equal(9, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM npedit.grid_runs WHERE grid_id = @gridId", new { gridId }));
        Assert.Equal(9, await conn.ExecuteScalarAsync<long>("SELECT count(*) FROM hangfire.job WHERE invocationdata::text LIKE '%TrainRunJob%'"));
    }
}
