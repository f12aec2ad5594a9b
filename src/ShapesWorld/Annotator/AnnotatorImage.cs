using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Annotator;

/// <summary>
/// One image of a request: its decoded size (0 when undecodable), the registry entry it matched, if any, and
/// otherwise the scene an <see cref="IImageParser"/> read from its pixels, if one is configured.
/// </summary>
public sealed record AnnotatorImage(int Width, int Height, RegistryEntry? Known, Scene? Parsed = null)
{
    /// <summary>The decoded RGB pixels (null when undecodable): the VIEScore answers compare them with ground truth.</summary>
    public byte[]? Rgb { get; init; }
}
