using NpEdit.ShapesWorld.Corpus;

namespace NpEdit.ShapesWorld.Annotator;

/// <summary>How to run the annotator endpoint. Port 0 picks a free port (tests); the server always binds 127.0.0.1.</summary>
public sealed record AnnotatorOptions(SceneRegistry Registry)
{
    public int Port { get; init; }
    public string ModelId { get; init; } = "shapesworld-annotator";
    public FaultOptions Faults { get; init; } = FaultOptions.None;
    public int LatencyMs { get; init; }
    public int JitterMs { get; init; }
    public ulong Seed { get; init; } = 1;

    /// <summary>Reads scenes from images the registry does not know (e.g. the ShapesWorld oracle); null answers "cannot tell" for them.</summary>
    public IImageParser? Parser { get; init; }

    public void Validate()
    {
        if (Port is < 0 or > 65535) throw new ArgumentException($"--port must be between 0 and 65535 (got {Port}).");
        if (LatencyMs < 0 || JitterMs < 0) throw new ArgumentException("--latency-ms and --jitter-ms must not be negative.");
        if (Faults.TotalRate > 1) throw new ArgumentException("Fault rates must add up to at most 1.");
    }
}
