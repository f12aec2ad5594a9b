using NpEdit.Core.Shards;
using NpEdit.Testing;
using NpEdit.Trainer.Training;

namespace NpEdit.Trainer.Tests.Training;

/// <summary>Shards written by Core's ShardWriter, read back as text-only rows whose images stream in per batch.</summary>
public sealed class EditDatasetFacts : IDisposable
{
    private readonly TempDirectory temp = new("npedit-dataset");

    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task Rows_HoldNoImageBytes_AndShardImagesFetchTheOriginals_AcrossRowGroups()
    {
        var rows = TrainingFixtures.Rows(130);   // two row groups: 100 + 30
        await ShardWriter.WriteAsync(Path.Combine(temp.Path, "data", "part-0.parquet"), rows);

        var dataset = await EditDataset.LoadAsync([Path.Combine(temp.Path, "data")]);
        var picked = new[] { dataset.Rows[3], dataset.Rows[99], dataset.Rows[100], dataset.Rows[129] };
        var images = new ShardImages(cachedGroups: 1).Load(picked);

        Assert.Equal(130, dataset.Rows.Count);
        Assert.All(dataset.Rows, r => Assert.Empty(r.Sample.SourceImage.Bytes));
        Assert.Equal([0, 0, 1, 1], picked.Select(p => p.RowGroup));
        Assert.Equal([3, 99, 0, 29], picked.Select(p => p.InGroup));
        Assert.Equal(picked.Select(p => rows[p.Row].SourceImage.Bytes), images);
        Assert.Equal(picked.Select(p => rows[p.Row].Id), picked.Select(p => p.Sample.Id));
    }

    [Fact]
    public async Task LoadAsync_SaysWhatToDo_WhenAFolderHasNoShards()
    {
        Directory.CreateDirectory(Path.Combine(temp.Path, "empty"));

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => EditDataset.LoadAsync([Path.Combine(temp.Path, "empty")]));

        Assert.Contains("npedit dataset build", error.Message);
    }
}
