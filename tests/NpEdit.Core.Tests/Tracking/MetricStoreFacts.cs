using System.Text.Json.Nodes;
using Dapper;
using NpEdit.Core.Tracking;
using NpEdit.Testing;

namespace NpEdit.Core.Tests.Tracking;

public sealed class MetricStoreFacts(TestDatabase db) : IClassFixture<TestDatabase>
{
    private async Task<Guid> NewRunAsync() =>
        (await new RunStore(db.DataSource).CreateOrGetAsync(
            new NewRun("metrics-facts", "train", new JsonObject { ["seed"] = Guid.NewGuid().ToString() }))).Run.Id;

    [Fact]
    public async Task LogAsync_RoundTripsEveryPoint_For100kRowsThroughBinaryCopy()
    {
        var runId = await NewRunAsync();
        var t0 = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var keys = new[] { "loss/total", "loss/vlm", "loss/dmd", "grad_norm/g" };
        var points = Enumerable.Range(0, 25_000)
            .SelectMany(step => keys.Select((k, i) => new MetricPoint(runId, k, step, Math.Sin(step * 0.001 + i) * 1e-3 + i, t0.AddMilliseconds(step))))
            .ToList();

        var written = await new MetricStore(db.DataSource).LogAsync(points);

        Assert.Equal(100_000, written);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var stats = await conn.QuerySingleAsync<(long N, double Sum, long MaxStep)>(
            "SELECT count(*), sum(value), max(step) FROM npedit.metrics WHERE run_id = @runId", new { runId });
        Assert.Equal(100_000, stats.N);
        Assert.Equal(points.Sum(p => p.Value), stats.Sum, 6);
        Assert.Equal(24_999, stats.MaxStep);
        var history = await new MetricStore(db.DataSource).HistoryAsync(runId, "loss/vlm");
        Assert.Equal(25_000, history.Count);
        Assert.Equal(points.Where(p => p.Key == "loss/vlm").Select(p => p.Value), history.Select(h => h.Value));
        Assert.Equal(t0.AddMilliseconds(1234), history[1234].WallTime.ToUniversalTime());
    }

    [Fact]
    public async Task LogAsync_OverwritesAStep_WhenItIsLoggedAgainAfterAResume()
    {
        var runId = await NewRunAsync();
        var store = new MetricStore(db.DataSource);
        var now = DateTime.UtcNow;
        await store.LogAsync([new(runId, "loss", 10, 1.0, now), new(runId, "loss", 11, 0.9, now)]);

        await store.LogAsync([new(runId, "loss", 11, 0.5, now.AddSeconds(1)), new(runId, "loss", 12, 0.4, now.AddSeconds(2))]);

        var history = await store.HistoryAsync(runId, "loss");
        Assert.Equal([10L, 11L, 12L], history.Select(h => h.Step));
        Assert.Equal([1.0, 0.5, 0.4], history.Select(h => h.Value));
        var latest = await store.LatestAsync(runId);
        Assert.Equal((12L, 0.4), latest["loss"]);
    }
}
