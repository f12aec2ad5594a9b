using NpEdit.Jobs.Tests.Support;
using NpEdit.Testing;

namespace NpEdit.Jobs.Tests.Cli;

/// <summary>`npedit grid submit --dry-run` as a separate process.</summary>
public sealed class GridCommandFacts : IAsyncLifetime
{
    private readonly IsolatedHome _home = new();

    public Task InitializeAsync() => _home.InitializeAsync();
    public Task DisposeAsync() => _home.DisposeAsync();

    [Fact]
    public async Task DryRun_ListsEachPoint_AndWhichRunsEditorItStartsFrom_WithoutADatabase()
    {
        var run = await NpeditProcess.RunAsync(_home.Environment, "grid", "submit", RepoFiles.Grid("grid-table4-sft.yaml"), "--dry-run");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains("starts from the editor of", run.Output);
        var rows = run.Output.Split('\n').Where(l => l.Contains("seed=", StringComparison.Ordinal)).ToList();
        Assert.Equal(6, rows.Count);
        foreach (var seed in new[] { 0, 1, 2 })
        {
            Assert.Matches($@"sft seed={seed}\s+│\s+[0-9a-f]{{12}}\s+│\s+–", rows.Single(r => r.TrimStart().StartsWith($"│ sft seed={seed} ", StringComparison.Ordinal)));
            Assert.Matches($@"sft_plus_ours seed={seed}\s+│\s+[0-9a-f]{{12}}\s+│\s+sft seed={seed}\s", rows.Single(r => r.TrimStart().StartsWith($"│ sft_plus_ours seed={seed} ", StringComparison.Ordinal)));
        }
        Assert.Contains("6 points (dry run: nothing stored or queued)", run.Output);
        Assert.False(Directory.Exists(Path.Combine(_home.Path, "pg")), "a dry run started the database");
    }
}
