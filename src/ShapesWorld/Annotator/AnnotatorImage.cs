using NpEdit.ShapesWorld.Corpus;

namespace NpEdit.ShapesWorld.Annotator;

/// <summary>One image of a request: its decoded size (0 when undecodable) and the registry entry it matched, if any.</summary>
public sealed record AnnotatorImage(int Width, int Height, RegistryEntry? Known)
{
    /// <summary>The decoded RGB pixels (null when undecodable): the VIEScore answers compare them with ground truth.</summary>
    public byte[]? Rgb { get; init; }
}
