using System.Collections.Concurrent;

namespace NpEdit.ShapesWorld.Annotator;

/// <summary>
/// Recognised request images by their data URL. A dataset builder sends each image with several prompts (App. D asks
/// up to six questions per image), and base64 + PNG decoding plus the pixel hash were most of the annotator's own work
/// per request. Only registry hits are kept (an unknown image may be registered later); the cache empties itself
/// when it holds more than <paramref name="maxBytes"/> of URLs and pixels, as the stream of images moves on.
/// </summary>
public sealed class DecodedImageCache(long maxBytes = 256L << 20)
{
    private readonly ConcurrentDictionary<string, AnnotatorImage> _images = new(StringComparer.Ordinal);
    private long _bytes;

    public AnnotatorImage GetOrAdd(string dataUrl, Func<string, AnnotatorImage> decode)
    {
        if (_images.TryGetValue(dataUrl, out var cached))
            return cached;
        var image = decode(dataUrl);
        if (image.Known is null)
            return image;
        if (Interlocked.Add(ref _bytes, Size(dataUrl, image)) > maxBytes)
        {
            _images.Clear();
            Interlocked.Exchange(ref _bytes, Size(dataUrl, image));
        }
        _images.TryAdd(dataUrl, image);
        return image;
    }

    private static long Size(string dataUrl, AnnotatorImage image) => 2L * dataUrl.Length + (image.Rgb?.Length ?? 0);
}
