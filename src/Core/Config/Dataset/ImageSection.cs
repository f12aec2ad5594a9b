namespace NpEdit.Core.Config.Dataset;

/// <summary>
/// How images are prepared before they are sent: decoded, converted to RGB and downscaled so the long side is at
/// most <see cref="MaxSide"/> (Qwen2.5-VL spends one token per 28×28 pixels and ignores per-request limits, so the
/// client bounds the cost). Files outside the limits are skipped with the reason recorded.
/// </summary>
public sealed record ImageSection
{
    public int MaxSide { get; init; } = 768;

    /// <summary>Images whose short side is below this are skipped as too small to annotate.</summary>
    public int MinSide { get; init; } = 16;

    /// <summary>Files larger than this are skipped without decoding.</summary>
    public long MaxFileBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Images with more pixels than this are skipped without decoding (decompression bombs).</summary>
    public long MaxPixels { get; init; } = 100_000_000;
}
