using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Plugs the oracle into the ShapesWorld annotator (<see cref="AnnotatorOptions.Parser"/>), so the endpoint can
/// judge editor outputs it has never rendered. Parses one request at a time: torch dispose scopes are per thread,
/// and the two CPU cores gain nothing from parallel parses.
/// </summary>
public sealed class OracleImageParser(SceneParser parser) : IImageParser
{
    readonly Lock gate = new();

    public Scene? Parse(byte[] rgb, int width, int height)
    {
        var image = new RgbImage(rgb, width, height);
        image.Validate();
        lock (gate) return parser.Parse(image);
    }
}
