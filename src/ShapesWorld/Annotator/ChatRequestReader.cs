using System.Text;
using System.Text.Json;
using NpEdit.ShapesWorld.Corpus;
using NpEdit.ShapesWorld.Rendering;

namespace NpEdit.ShapesWorld.Annotator;

/// <summary>
/// Pulls text and images out of an OpenAI chat-completions request body. Content may be a string or a list of
/// parts; images arrive as <c>image_url</c> parts with base64 <c>data:</c> URLs, any number per message.
/// </summary>
public static class ChatRequestReader
{
    public sealed record ChatInput(string Model, string Text, IReadOnlyList<AnnotatorImage> Images, int PromptTokens, bool Stream);

    /// <param name="decoded">Where recognised images are kept between requests (the server's); null decodes every time.</param>
    public static ChatInput Read(JsonElement body, SceneRegistry registry, IImageParser? parser = null, DecodedImageCache? decoded = null)
    {
        if (!body.TryGetProperty("messages", out var messages) || messages.ValueKind != JsonValueKind.Array)
            throw new FormatException("The request has no 'messages' array.");
        string model = body.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
        bool stream = body.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var text = new StringBuilder();
        var images = new List<AnnotatorImage>();
        int tokens = 0;
        foreach (var message in messages.EnumerateArray())
        {
            tokens += 4; // role and separators, as chat templates add per turn
            if (!message.TryGetProperty("content", out var content)) continue;
            if (content.ValueKind == JsonValueKind.String)
            {
                text.Append(content.GetString()).Append('\n');
                continue;
            }
            if (content.ValueKind != JsonValueKind.Array) continue;
            foreach (var part in content.EnumerateArray())
            {
                string type = part.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";
                if (type == "text" && part.TryGetProperty("text", out var pt)) text.Append(pt.GetString()).Append('\n');
                else if (type == "image_url" && part.TryGetProperty("image_url", out var iu))
                {
                    string url = iu.ValueKind == JsonValueKind.String ? iu.GetString()! : iu.TryGetProperty("url", out var u) ? u.GetString() ?? "" : "";
                    var image = decoded is null ? ReadImage(url, registry, parser) : decoded.GetOrAdd(url, u => ReadImage(u, registry, parser));
                    images.Add(image);
                    tokens += ImageTokens(image);
                }
            }
        }
        string all = text.ToString();
        return new ChatInput(model, all, images, tokens + TextTokens(all), stream);
    }

    /// <summary>A rough BPE estimate: about four characters per token.</summary>
    public static int TextTokens(string text) => (text.Length + 3) / 4;

    /// <summary>Qwen2.5-VL's image cost: one token per 28×28 patch plus the vision start/end markers.</summary>
    public static int ImageTokens(AnnotatorImage image) =>
        image.Width == 0 ? 64 : ((image.Width + 27) / 28) * ((image.Height + 27) / 28) + 2;

    private static AnnotatorImage ReadImage(string url, SceneRegistry registry, IImageParser? parser)
    {
        int comma = url.IndexOf(',');
        if (!url.StartsWith("data:", StringComparison.Ordinal) || comma < 0 || !url[..comma].EndsWith(";base64", StringComparison.Ordinal))
            return new AnnotatorImage(0, 0, null);
        try
        {
            var (rgb, w, h) = PngCodec.Decode(Convert.FromBase64String(url[(comma + 1)..]));
            var known = registry.Find(rgb, w, h);
            return new AnnotatorImage(w, h, known, known is null ? parser?.Parse(rgb, w, h) : null) { Rgb = rgb };
        }
        catch (FormatException)
        {
            return new AnnotatorImage(0, 0, null);
        }
        catch (InvalidDataException)
        {
            return new AnnotatorImage(0, 0, null);
        }
    }
}
