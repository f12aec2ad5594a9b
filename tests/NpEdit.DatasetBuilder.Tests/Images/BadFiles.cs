using System.Buffers.Binary;
using System.IO.Compression;
using NpEdit.ShapesWorld.Rendering;

namespace NpEdit.DatasetBuilder.Tests.Images;

/// <summary>Input files a real corpus contains: random bytes, a cut-off PNG, a 4×4 icon, a header claiming 100k×100k pixels.</summary>
public static class BadFiles
{
    public static byte[] Make(string kind) => kind switch
    {
        "corrupt" => Enumerable.Range(0, 500).Select(i => (byte)(i * 37 % 251)).ToArray(),
        "truncated" => Truncated(),
        "tiny" => PngCodec.Encode(new byte[4 * 4 * 3], 4, 4),
        "huge" => HugeHeader(),
        "empty" => [],
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private static byte[] Truncated()
    {
        var rgb = new byte[64 * 64 * 3];
        new Random(3).NextBytes(rgb);
        var png = PngCodec.Encode(rgb, 64, 64);
        return png[..(png.Length / 2)];
    }

    // A valid PNG signature and IHDR claiming 100000×100000 pixels, with a token IDAT: must be refused from the header.
    private static byte[] HugeHeader()
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, 100_000);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), 100_000);
        ihdr[8] = 8;
        ihdr[9] = 2;
        Chunk(ms, "IHDR", ihdr);
        using (var z = new MemoryStream())
        {
            using (var zl = new ZLibStream(z, CompressionLevel.Fastest, leaveOpen: true))
                zl.Write(new byte[100]);
            Chunk(ms, "IDAT", z.ToArray());
        }
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        Span<byte> len = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typeBytes = System.Text.Encoding.ASCII.GetBytes(type);
        s.Write(typeBytes);
        s.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(len, Crc32([.. typeBytes, .. data]));
        s.Write(len);
    }

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
