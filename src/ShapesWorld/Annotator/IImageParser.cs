using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Annotator;

/// <summary>
/// Reads a ShapesWorld scene out of pixels, for images the scene registry does not know (an editor's outputs).
/// The annotator asks it only when the registry has no match; the Evaluator's oracle implements it.
/// Implementations must be safe to call from several requests at once.
/// </summary>
public interface IImageParser
{
    /// <summary>The scene the RGB image (row-major, 3 bytes per pixel) shows, or null when it cannot tell.</summary>
    Scene? Parse(byte[] rgb, int width, int height);
}
