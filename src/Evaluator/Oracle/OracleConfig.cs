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

    /// <summary>Side of the square crop around each cell centre, as a fraction of the image: ±0.1875 covers a jittered large object.</summary>
    public double CropFraction { get; init; } = 0.375;

    /// <summary>Channels of the three stages of the per-cell CNN (each stage halves the crop).</summary>
    public IReadOnlyList<int> Channels { get; init; } = [16, 32, 64];

    /// <summary>Width of the per-cell feature that every head reads.</summary>
    public int Hidden { get; init; } = 96;

    /// <summary>Crop side in pixels at <see cref="Resolution"/>, rounded up to a multiple of 8 so three halvings stay exact.</summary>
    [JsonIgnore]
    public int CropSize => (int)Math.Ceiling(Resolution * CropFraction / 8.0) * 8;

    public OracleConfig Validate()
    {
        if (Resolution is < 16 or > 512)
            throw new ArgumentException($"Oracle resolution must lie in 16…512 pixels (got {Resolution}).");
        if (CropFraction is < 0.2 or > 0.6)
            throw new ArgumentException($"Oracle crop fraction must lie in 0.2…0.6 of the image (got {CropFraction}).");
        if (Channels.Count != 3 || Channels.Any(c => c < 4))
            throw new ArgumentException($"Oracle channels must be three stage widths of at least 4 (got [{string.Join(", ", Channels)}]).");
        if (Hidden < 8)
            throw new ArgumentException($"Oracle hidden width must be at least 8 (got {Hidden}).");
        return this;
    }
}
