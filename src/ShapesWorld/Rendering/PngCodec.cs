using System.Buffers.Binary;
using System.IO.Compression;

namespace NpEdit.ShapesWorld.Rendering;

/// <summary>
/// Minimal PNG encoder (8-bit RGB, Sub filter) and decoder (8-bit grey/RGB/RGBA, non-interlaced, all five filters).
/// Pixel bytes are the identity of an image in ShapesWorld; PNG bytes may differ between zlib builds.
/// </summary>
public static class PngCodec
{
    private static readonly byte[] Signature = [137, 80, 78, 71, 13, 10, 26, 10];
    private static readonly uint[] CrcTable = BuildCrcTable();

    public static byte[] Encode(ReadOnlySpan<byte> rgb, int width, int height, CompressionLevel level = CompressionLevel.Optimal)
    {
        if (rgb.Length != width * height * 3)
            throw new ArgumentException($"Expected {width * height * 3} RGB bytes for {width}×{height}, got {rgb.Length}.", nameof(rgb));
        using var output = new MemoryStream();
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; header[9] = 2; header[10] = 0; header[11] = 0; header[12] = 0;
        WriteChunk(output, "IHDR"u8, header);

        int stride = width * 3;
        var filtered = new byte[(stride + 1) * height];
        for (int y = 0; y < height; y++)
        {
            int o = y * (stride + 1);
            filtered[o] = 1; // Sub: each byte minus the byte one pixel to the left.
            var row = rgb.Slice(y * stride, stride);
            for (int i = 0; i < stride; i++)
                filtered[o + 1 + i] = (byte)(row[i] - (i >= 3 ? row[i - 3] : 0));
        }
        using (var compressed = new MemoryStream())
        {
            using (var z = new ZLibStream(compressed, level, leaveOpen: true)) z.Write(filtered);
            WriteChunk(output, "IDAT"u8, compressed.ToArray());
        }
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    /// <summary>Decodes a PNG to RGB; throws <see cref="FormatException"/> for anything this codec does not read.</summary>
    public static (byte[] Rgb, int Width, int Height) Decode(ReadOnlySpan<byte> png)
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(Signature)) throw new FormatException("Not a PNG file (bad signature).");
        int pos = 8, width = 0, height = 0, colorType = -1;
        using var idat = new MemoryStream();
        while (pos + 8 <= png.Length)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(png[pos..]);
            if (length < 0 || pos + 12 + length > png.Length) throw new FormatException("Truncated PNG chunk.");
            var type = png.Slice(pos + 4, 4);
            var data = png.Slice(pos + 8, length);
            if (type.SequenceEqual("IHDR"u8))
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                colorType = data[9];
                if (data[8] != 8 || data[12] != 0 || colorType is not (0 or 2 or 6))
                    throw new FormatException($"Unsupported PNG: bit depth {data[8]}, colour type {colorType}, interlace {data[12]}.");
                if (width <= 0 || height <= 0 || (long)width * height > 64L * 1024 * 1024) throw new FormatException("Bad PNG dimensions.");
            }
            else if (type.SequenceEqual("IDAT"u8)) idat.Write(data);
            else if (type.SequenceEqual("IEND"u8)) break;
            pos += 12 + length;
        }
        if (colorType < 0) throw new FormatException("PNG has no IHDR chunk.");

        int channels = colorType switch { 0 => 1, 2 => 3, _ => 4 };
        int stride = width * channels;
        var raw = new byte[(stride + 1) * height];
        idat.Position = 0;
        using (var z = new ZLibStream(idat, CompressionMode.Decompress))
        {
            int read = 0;
            while (read < raw.Length)
            {
                int n = z.Read(raw, read, raw.Length - read);
                if (n == 0) throw new FormatException("PNG image data is shorter than its dimensions say.");
                read += n;
            }
        }
        Unfilter(raw, stride, height, channels);

        var rgb = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
        {
            int src = y * (stride + 1) + 1;
            for (int x = 0; x < width; x++)
            {
                int s = src + x * channels, d = (y * width + x) * 3;
                if (channels == 1) { rgb[d] = rgb[d + 1] = rgb[d + 2] = raw[s]; }
                else { rgb[d] = raw[s]; rgb[d + 1] = raw[s + 1]; rgb[d + 2] = raw[s + 2]; }
            }
        }
        return (rgb, width, height);
    }

    private static void Unfilter(byte[] raw, int stride, int height, int bpp)
    {
        for (int y = 0; y < height; y++)
        {
            int o = y * (stride + 1), prev = o - (stride + 1);
            byte filter = raw[o];
            for (int i = 0; i < stride; i++)
            {
                int a = i >= bpp ? raw[o + 1 + i - bpp] : 0;
                int b = y > 0 ? raw[prev + 1 + i] : 0;
                int c = i >= bpp && y > 0 ? raw[prev + 1 + i - bpp] : 0;
                int add = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) >> 1,
                    4 => Paeth(a, b, c),
                    _ => throw new FormatException($"Unknown PNG filter type {filter}."),
                };
                raw[o + 1 + i] = (byte)(raw[o + 1 + i] + add);
            }
        }
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static void WriteChunk(Stream s, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> buf = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buf, data.Length);
        s.Write(buf);
        s.Write(type);
        s.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(buf, crc);
        s.Write(buf);
    }

    private static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (byte b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }
        return table;
    }
}
