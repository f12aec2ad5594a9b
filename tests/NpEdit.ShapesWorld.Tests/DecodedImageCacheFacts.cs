using System.Text.Json;
using NpEdit.ShapesWorld.Annotator;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Rendering;
using NpEdit.ShapesWorld.Scenes;

namespace NpEdit.ShapesWorld.Tests;

public sealed class DecodedImageCacheFacts
{
    [Fact]
    public void ARecognisedImage_IsDecodedOnce_AndReadsTheSameAsWithoutTheCache()
    {
        var (known, unknown) = (SceneSampler.Sample(3), SceneSampler.Sample(4));
        var registry = new SceneRegistry();
        registry.Add(3, 64, known, Renderer.Render(known, 64));
        var cache = new DecodedImageCache();
        using var body = Request(known, unknown);

        var first = ChatRequestReader.Read(body.RootElement, registry, decoded: cache);
        var second = ChatRequestReader.Read(body.RootElement, registry, decoded: cache);
        var uncached = ChatRequestReader.Read(body.RootElement, registry);

        Assert.Same(first.Images[0], second.Images[0]);
        Assert.Equal(uncached.Images[0].Known, second.Images[0].Known);
        Assert.Equal(uncached.Images[0].Rgb, second.Images[0].Rgb);
        // An unknown image is decoded again each time: it may be registered later.
        Assert.NotSame(first.Images[1], second.Images[1]);
        Assert.Null(second.Images[1].Known);
    }

    [Fact]
    public void AFullCache_StartsOver_AndStillAnswers()
    {
        var scenes = Enumerable.Range(10, 3).Select(i => SceneSampler.Sample((ulong)i)).ToList();
        var registry = new SceneRegistry();
        for (var i = 0; i < scenes.Count; i++)
            registry.Add((ulong)(10 + i), 64, scenes[i], Renderer.Render(scenes[i], 64));
        // Room for about one 64×64 image (12 KB of pixels plus its URL).
        var cache = new DecodedImageCache(maxBytes: 20_000);

        var reads = scenes.Concat(scenes).Select(s =>
        {
            using var body = Request(s);
            return ChatRequestReader.Read(body.RootElement, registry, decoded: cache).Images[0];
        }).ToList();

        Assert.All(reads.Zip(scenes.Concat(scenes)), r => Assert.Same(r.Second, r.First.Known!.Scene));
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
