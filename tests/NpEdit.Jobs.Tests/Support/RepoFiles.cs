using NpEdit.Core.Database;

namespace NpEdit.Jobs.Tests.Support;

internal static class RepoFiles
{
    public static string Root => ProjectPaths.FindRepositoryRoot() ?? throw new InvalidOperationException("tests must run inside the checkout");

    public static string Grid(string name) => Path.Combine(Root, "experiments", "grids", name);

    public static IEnumerable<string> ShippedGrids() =>
        Directory.GetFiles(Path.Combine(Root, "experiments", "grids"), "grid-*.yaml").Order(StringComparer.Ordinal);
}
