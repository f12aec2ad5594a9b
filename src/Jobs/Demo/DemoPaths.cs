using NpEdit.Core.Database;

namespace NpEdit.Jobs.Demo;

/// <summary>Everything the demo writes lives under <c>.npedit/demo/</c>, so a rerun finds and reuses it.</summary>
public sealed record DemoPaths(string Root)
{
    public static DemoPaths ForState() => new(Path.Combine(ProjectPaths.StateDirectory(), "demo"));

    public string Corpus(DemoSettings s) => Path.Combine(Root, $"corpus-{s.CorpusImages}");
    public string Dataset(DemoSettings s) => Path.Combine(Root, "datasets", s.Name);
    public string Runs => Path.Combine(Root, "runs");
}
