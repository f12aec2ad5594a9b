using System.Text.Json.Serialization;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The shape of the ShapesWorld scene parser (<see cref="SceneParserNet"/>). Stored next to the weights so a
/// checkpoint rebuilds the network it was trained as.
/// </summary>
public sealed record OracleConfig
{
    /// <summary>Images are resized to this square size before parsing; ShapesWorld-Bench v1 renders at 64.</summary>
    public int Resolution { get; init; } = 64;

    /// <summary>
    /// Side of the square window around each cell centre, as a fraction of the image: ±0.25 holds a jittered large
    /// object (radius 0.155 + jitter 0.05 of the side) whole, with a margin for the network to see its outline.
    /// </summary>
    public double CropFraction { get; init; } = 0.5;

    /// <summary>
    /// Channels of the four stages: the first keeps full resolution (a small object is only ~11 px across), the next two
    /// halve the whole image, the last halves each cell's window.
    /// </summary>
    public IReadOnlyList<int> Channels { get; init; } = [24, 48, 96, 64];

    /// <summary>Width of the per-cell feature that every head reads.</summary>
    public int Hidden { get; init; } = 128;

    /// <summary>
    /// The detail branch that gives the fine-grained heads a full-resolution view of each cell; null is the network
    /// without it (format <see cref="OracleCheckpointFile.FirstFormat"/> checkpoints).
    /// </summary>
    public OracleDetailConfig? Detail { get; init; } = new();

    /// <summary>How much the image-wide stages shrink the image (two halvings).</summary>
    public const int MapStride = 4;

    /// <summary>Window side in pixels at <see cref="Resolution"/>, rounded up to a multiple of 8 so the three halvings stay exact.</summary>
    [JsonIgnore]
    public int CropSize => (int)Math.Ceiling(Resolution * CropFraction / 8.0) * 8;

    public OracleConfig Validate()
    {
        if (Resolution is < 16 or > 512 || Resolution % MapStride != 0)
            throw new ArgumentException($"Oracle resolution must be a multiple of {MapStride} in 16…512 pixels (got {Resolution}).");
        if (CropFraction is < 0.2 or > 0.6)
            throw new ArgumentException($"Oracle crop fraction must lie in 0.2…0.6 of the image (got {CropFraction}).");
        if (Channels.Count != 4 || Channels.Any(c => c < 4))
            throw new ArgumentException($"Oracle channels must be four stage widths of at least 4 (got [{string.Join(", ", Channels)}]).");
        if (Hidden < 8)
            throw new ArgumentException($"Oracle hidden width must be at least 8 (got {Hidden}).");
        Detail?.Validate();
        return this;
    }

    /// <summary>Whether both describe the same network (records compare lists by reference, so this compares them by value).</summary>
    public bool SameNetworkAs(OracleConfig other) =>
        Resolution == other.Resolution && CropFraction == other.CropFraction && Channels.SequenceEqual(other.Channels) && Hidden == other.Hidden
        && (Detail is null ? other.Detail is null : Detail.SameAs(other.Detail));
}
