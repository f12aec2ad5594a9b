using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// Plugs the oracle into the ShapesWorld annotator (<see cref="AnnotatorOptions.Parser"/>), so the endpoint can
/// judge editor outputs it has never rendered. Concurrent requests take turns on the network inside
/// <see cref="SceneParser"/>.
/// </summary>
public sealed class OracleImageParser(SceneParser parser) : IImageParser
{
    public Scene? Parse(byte[] rgb, int width, int height)
    {
        var image = new RgbImage(rgb, width, height);
        image.Validate();
        return parser.Parse(image);
    }
}
