namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The scene parser's detail branch (<see cref="SceneParserNet"/>): a small conv head over each cell's window of the
/// pixels and the full-resolution feature map, whose feature the fine-grained heads (shape, size, pattern, rotation) read beside the
/// cell feature. A fill pattern's stripes are 2–4 px apart on a 64-px render and a 15° turn moves a small object's tip
/// by about 1.4 px: both are gone by the stride-8 map the cell feature comes from.
/// </summary>
public sealed record OracleDetailConfig
{
    /// <summary>Channels of the branch's three conv layers: the first at full resolution, the next two each halving the window.</summary>
    public IReadOnlyList<int> Channels { get; init; } = [32, 48, 64];

    /// <summary>Width of the per-cell detail feature.</summary>
    public int Hidden { get; init; } = 96;

    public bool SameAs(OracleDetailConfig? other) =>
        other is not null && Channels.SequenceEqual(other.Channels) && Hidden == other.Hidden;

    public OracleDetailConfig Validate()
    {
        if (Channels.Count != 3 || Channels.Any(c => c < 4))
            throw new ArgumentException($"Oracle detail channels must be three layer widths of at least 4 (got [{string.Join(", ", Channels)}]).");
        if (Hidden < 8)
            throw new ArgumentException($"Oracle detail hidden width must be at least 8 (got {Hidden}).");
        return this;
    }
}
