using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// An exact reader for images a <see cref="SceneRegistry"/> knows (pixel-identical renders), null for anything else.
/// It pins down the scorer's logic independently of the learned parser, and scores exact renders without a network.
/// </summary>
public sealed class RegistryImageParser(SceneRegistry registry) : IImageParser
{
    public Scene? Parse(byte[] rgb, int width, int height) => registry.Find(rgb, width, height)?.Scene;
}
