using System.Text.Json.Nodes;
using Dapper;
using NpEdit.Core.Tracking;
using NpEdit.Testing;

namespace NpEdit.Core.Tests.Tracking;

public sealed class RunStoreFacts(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static JsonObject Config(double lr) => new()
    {
        ["optimizer"] = new JsonObject { ["lr"] = lr, ["betas"] = new JsonArray(0.0, 0.9) },
        ["model"] = new JsonObject { ["preset"] = "shapes-xs" },
    };

    [Fact]
    public async Task CreateOrGetAsync_ReturnsTheSameRun_WhenTheSameConfigIsResubmitted()
    {
        var store = new RunStore(db.DataSource);
        var (first, created) = await store.CreateOrGetAsync(new NewRun("resubmit", "train", Config(2e-6)) { GitSha = "abc123" });
        // Same values, other key order and number spelling: the canonical hash must not change.
        var reordered = JsonNode.Parse("""{"model":{"preset":"shapes-xs"},"optimizer":{"betas":[0,0.9],"lr":2.0e-6}}""")!.AsObject();

        var (second, createdAgain) = await store.CreateOrGetAsync(new NewRun("resubmit", "train", reordered));

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, second.Id);
        Assert.Single(await store.ListAsync("resubmit"));
        Assert.Equal("abc123", second.GitSha);
        Assert.Equal("queued", second.Status);
    }

    [Fact]
    public async Task CreateOrGetAsync_FlattensTheConfigIntoQueryableParams()
    {
        var store = new RunStore(db.DataSource);
        var (run, _) = await store.CreateOrGetAsync(new NewRun("params", "train", Config(1e-4))
        {
            Tags = new Dictionary<string, string> { ["grid"] = "table3" },
        });

        var parameters = await store.ParamsAsync(run.Id);

        Assert.Equal("0.0001", parameters["optimizer.lr"]);
        Assert.Equal("0.9", parameters["optimizer.betas.1"]);
        Assert.Equal("shapes-xs", parameters["model.preset"]);
        Assert.Equal("table3", (await store.TagsAsync(run.Id))["grid"]);
        await using var conn = await db.DataSource.OpenConnectionAsync();
        var found = await conn.ExecuteScalarAsync<Guid>(
            "SELECT run_id FROM npedit.run_params WHERE key = 'optimizer.lr' AND value::float8 = 1e-4");
        Assert.Equal(run.Id, found);
    }

    [Fact]
    public async Task SetStatusAsync_StampsStartAndEnd()
    {
        var store = new RunStore(db.DataSource);
        var (run, _) = await store.CreateOrGetAsync(new NewRun("status", "train", Config(3e-4)));

        await store.SetStatusAsync(run.Id, RunStatus.Running);
        var running = (await store.GetAsync(run.Id))!;
        await store.SetStatusAsync(run.Id, RunStatus.Failed, "loss was NaN for 5 steps");
        var failed = (await store.GetAsync(run.Id))!;

        Assert.Equal("running", running.Status);
        Assert.NotNull(running.StartedAt);
        Assert.Null(running.EndedAt);
        Assert.Equal("failed", failed.Status);
        Assert.Equal(running.StartedAt, failed.StartedAt);
        Assert.NotNull(failed.EndedAt);
        Assert.Equal("loss was NaN for 5 steps", failed.Error);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.SetStatusAsync(Guid.NewGuid(), RunStatus.Running));
    }

    [Fact]
    public async Task ArtifactStore_RecordsSizeAndHash_AndRefusesMissingFiles()
    {
        var (run, _) = await new RunStore(db.DataSource).CreateOrGetAsync(new NewRun("artifacts", "train", Config(5e-4)));
        using var dir = new TempDirectory();
        var file = Path.Combine(dir.Path, "samples.png");
        await File.WriteAllBytesAsync(file, [1, 2, 3, 4]);
        var artifacts = new ArtifactStore(db.DataSource);

        var record = await artifacts.RecordAsync(run.Id, "sample-grid", file);

        Assert.Equal(4, record.Bytes);
        Assert.Equal("9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a", record.Sha256);
        Assert.Single(await artifacts.ListAsync(run.Id, "sample-grid"));
        await Assert.ThrowsAsync<FileNotFoundException>(() => artifacts.RecordAsync(run.Id, "checkpoint", Path.Combine(dir.Path, "missing")));
    }
}
