using System.Security.Cryptography;

namespace NpEdit.DatasetBuilder.Vlm;

/// <summary>An image attached to a request.</summary>
public sealed record VlmImage(byte[] Bytes, string MediaType = "image/png")
{
    public string Sha256 { get; } = Convert.ToHexString(SHA256.HashData(Bytes)).ToLowerInvariant();
}
