using NpEdit.Core.Config;
using NpEdit.Core.Config.Dataset;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.Testing;

namespace NpEdit.DatasetBuilder.Tests;

/// <summary>A 50-image ShapesWorld corpus (64×64) and its scene registry, shared by a test class; annotators are started per test.</summary>
public sealed class ShapesCorpus : IAsyncLifetime
{
    public const int Images = 50;
    private readonly TempDirectory _dir = new("npedit-dataset-corpus");

    public string Path => System.IO.Path.Combine(_dir.Path, "corpus");
    public SceneRegistry Registry { get; } = new();

    public async Task InitializeAsync()
    {
        await CorpusWriter.WriteAsync(new CorpusOptions(Images, 64, 7, Path) { RowsPerShard = 30 });
        await Registry.LoadDirectoryAsync(Path);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    public Task<AnnotatorServer> StartAnnotatorAsync(FaultOptions? faults = null, int latencyMs = 0) =>
        AnnotatorServer.StartAsync(new AnnotatorOptions(Registry) { Faults = faults ?? FaultOptions.None, LatencyMs = latencyMs, Seed = 99 });

    /// <summary>A dataset config over this corpus; <paramref name="sets"/> are <c>--set</c> overrides.</summary>
    public ResolvedConfig<DatasetConfig> Config(string name, string outputDir, AnnotatorServer server, params string[] sets) =>
        ConfigLoader.Resolve<DatasetConfig>(null, sets:
        [
            $"name={name}", $"output_dir={outputDir}", "input.kind=shapes_world", $"input.path={Path}", "input.images_per_unit=25",
            $"vlm.endpoints=shapesworld-annotator@{server.BaseAddress}", "vlm.base_delay_ms=5", "vlm.max_delay_seconds=0.05",
            .. sets,
        ]);
}
