using System.Text.Json;
using System.Text.Json.Serialization;

namespace NpEdit.ShapesWorld.Scenes;

/// <summary>The JSON form of scenes used in corpus rows, registries and benchmark files (camelCase, enums as strings).</summary>
public static class SceneJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(Scene scene) => JsonSerializer.Serialize(scene, Options);

    public static Scene Deserialize(string json)
    {
        var scene = JsonSerializer.Deserialize<Scene>(json, Options) ?? throw new FormatException("Scene JSON is null.");
        return scene with { Objects = scene.Objects.ToArray() };
    }
}
