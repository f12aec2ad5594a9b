using NpEdit.Core.Database;

namespace NpEdit.Core.Tests.Database;

public sealed class MigrationFacts
{
    [Fact]
    public void Embedded_MatchesTheFilesInTheRepositorySqlFolder()
    {
        var sqlDir = Path.Combine(ProjectPaths.FindRepositoryRoot()!, "sql");

        var onDisk = Migration.FromDirectory(sqlDir);

        Assert.Equal(onDisk.Select(m => (m.FileName, m.Checksum)), Migration.Embedded().Select(m => (m.FileName, m.Checksum)));
    }

    [Fact]
    public void Checksum_IgnoresLineEndings()
    {
        Assert.Equal(new Migration(1, "a", "x\ny\n").Checksum, new Migration(1, "a", "x\r\ny\r\n").Checksum);
        Assert.NotEqual(new Migration(1, "a", "x\ny\n").Checksum, new Migration(1, "a", "x\nz\n").Checksum);
    }
}
