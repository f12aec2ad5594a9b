using NpEdit.DatasetBuilder.Vlm;

namespace NpEdit.DatasetBuilder.Images;

/// <summary>An image ready to send and store: RGB PNG bytes, its size and sha256.</summary>
public sealed record PreparedImage(byte[] Png, int Width, int Height, string Sha256)
{
    private VlmImage? _attachment;

    /// <summary>The image as a request attachment (its hash computed once for every request that carries it).</summary>
    public VlmImage Attachment => _attachment ??= new VlmImage(Png, "image/png");
}
