using System.Text.Json;
using NpEdit.Evaluator.Oracle;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.Evaluator.Tests.Oracle;

[Collection(OracleCollection.Name)]
public class OracleImageParserFacts
{
    [Fact]
    public void The_annotator_asks_the_injected_parser_only_about_images_its_registry_does_not_know()
    {
        var known = OracleScenes.HeldOut(20);
        var unknown = OracleScenes.HeldOut(21);
        var annotatorRegistry = new SceneRegistry();
        annotatorRegistry.Add(known.Seed, 64, known.Scene, Renderer.Render(known.Scene, 64));
        var parserRegistry = new SceneRegistry();
        parserRegistry.Add(unknown.Seed, 64, unknown.Scene, Renderer.Render(unknown.Scene, 64));
        var body = Request(known.Scene, unknown.Scene);

        var withParser = ChatRequestReader.Read(body.RootElement, annotatorRegistry, new RegistryImageParser(parserRegistry));
        var without = ChatRequestReader.Read(body.RootElement, annotatorRegistry);

        Assert.Equal(known.Scene, withParser.Images[0].Known?.Scene);
        Assert.Null(withParser.Images[0].Parsed);
        Assert.Null(withParser.Images[1].Known);
        Assert.Equal(unknown.Scene, withParser.Images[1].Parsed);
        Assert.Null(without.Images[1].Parsed);
    }

    [Fact]
    public void The_oracle_plugs_in_as_the_annotator_parser()
    {
        OracleTestEnvironment.InitializeTorch();
        using var parser = new SceneParser(new SceneParserNet(new OracleConfig()));
        var scene = OracleScenes.HeldOut(22).Scene;

        var input = ChatRequestReader.Read(Request(scene).RootElement, new SceneRegistry(), new OracleImageParser(parser));

        // An untrained network reads nonsense, but the request path hands the pixels to it and keeps its scene.
        Assert.NotNull(input.Images[0].Parsed);
        Assert.Equal(SceneFacts.Of(parser.Parse(RgbImage.Render(scene, 64))), SceneFacts.Of(input.Images[0].Parsed!));
    }

    private static JsonDocument Request(params Scene[] scenes) => JsonDocument.Parse(JsonSerializer.Serialize(new
    {
        model = "shapesworld-annotator",
        messages = new object[]
        {
            new
            {
                role = "user",
                content = new object[] { new { type = "text", text = "Describe the pictures." } }
                    .Concat(scenes.Select(s => (object)new { type = "image_url", image_url = new { url = "data:image/png;base64," + Convert.ToBase64String(Renderer.RenderPng(s, 64)) } }))
                    .ToArray(),
            },
        },
    }));
}
