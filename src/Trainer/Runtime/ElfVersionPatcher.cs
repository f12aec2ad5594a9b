using System.Buffers.Binary;
using System.Text;

namespace NpEdit.Trainer.Runtime;

/// <summary>
/// Reads the version-needs table (<c>.gnu.version_r</c>, <c>SHT_GNU_verneed</c>) of a little-endian
/// ELF64 shared library and marks one required symbol version weak (<c>VER_FLG_WEAK</c>).
/// </summary>
/// <remarks>
/// Why: TorchSharp 0.107's <c>libLibTorchSharp.so</c> requires <c>GLIBCXX_3.4.32</c> (GCC 13) only for
/// <c>std::ios_base_library_init</c>, which nothing calls; Debian 12's libstdc++ stops at 3.4.30 and the
/// loader refuses the library. A weak version requirement is only a warning for ld.so, so flipping one
/// flag bit makes the library load (see shared/notes/gpu-and-native.md §2). <c>patchelf
/// --clear-symbol-version</c> is not enough because it leaves the <c>Vernaux</c> entry in place.
/// Layouts: Elf64_Ehdr, Elf64_Shdr, Elf64_Verneed and Elf64_Vernaux from the System V gABI / LSB.
/// </remarks>
public static class ElfVersionPatcher
{
    /// <summary>The <c>vna_flags</c> bit that makes a version requirement weak.</summary>
    public const ushort VerFlagWeak = 0x2;

    /// <summary><c>SHT_GNU_verneed</c>, the section type of <c>.gnu.version_r</c>.</summary>
    public const uint ShtGnuVerneed = 0x6ffffffe;

    const int ElfHeaderSize = 64;
    const int SectionHeaderSize = 64;
    const int VerneedSize = 16;
    const int VernauxSize = 16;

    /// <summary>Lists every <c>Vernaux</c> entry of the library's version-needs section (empty when it has none).</summary>
    /// <exception cref="InvalidDataException">The bytes are not a well-formed little-endian ELF64 file.</exception>
    public static IReadOnlyList<ElfVersionNeed> ReadVersionNeeds(ReadOnlySpan<byte> elf)
    {
        CheckHeader(elf);
        var shoff = ReadOffset(elf, 0x28, "e_shoff");
        var shentsize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        long shnum = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);
        if (shoff == 0)
            return [];
        if (shentsize < SectionHeaderSize)
            throw new InvalidDataException($"ELF section header size {shentsize} is smaller than {SectionHeaderSize}.");
        if (shnum == 0)
            shnum = (long)ReadU64(elf, shoff + 32, "section 0 sh_size"); // extended numbering: the count lives in section 0

        var result = new List<ElfVersionNeed>();
        for (long i = 0; i < shnum; i++)
        {
            var sh = shoff + i * shentsize;
            if (ReadU32(elf, sh + 4, "sh_type") != ShtGnuVerneed)
                continue;

            var offset = (long)ReadU64(elf, sh + 24, "sh_offset");
            var size = (long)ReadU64(elf, sh + 32, "sh_size");
            var link = ReadU32(elf, sh + 40, "sh_link");
            var count = ReadU32(elf, sh + 44, "sh_info");
            var strtab = shoff + (long)link * shentsize;
            var strOffset = (long)ReadU64(elf, strtab + 24, "string table sh_offset");
            var strSize = (long)ReadU64(elf, strtab + 32, "string table sh_size");
            CheckRange(elf, offset, size, ".gnu.version_r");
            CheckRange(elf, strOffset, strSize, "version string table");

            var vn = offset;
            for (uint n = 0; n < count; n++)
            {
                CheckRange(elf, vn, VerneedSize, "Elf64_Verneed");
                if (vn + VerneedSize > offset + size)
                    throw new InvalidDataException("Elf64_Verneed entry runs past the end of .gnu.version_r.");
                var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[(int)(vn + 2)..]);
                var file = ReadString(elf, strOffset, strSize, ReadU32(elf, vn + 4, "vn_file"));
                var aux = vn + ReadU32(elf, vn + 8, "vn_aux");
                for (int a = 0; a < auxCount; a++)
                {
                    CheckRange(elf, aux, VernauxSize, "Elf64_Vernaux");
                    var flags = BinaryPrimitives.ReadUInt16LittleEndian(elf[(int)(aux + 4)..]);
                    var name = ReadString(elf, strOffset, strSize, ReadU32(elf, aux + 8, "vna_name"));
                    result.Add(new ElfVersionNeed(file, name, flags, aux + 4));
                    var nextAux = ReadU32(elf, aux + 12, "vna_next");
                    if (nextAux == 0)
                        break;
                    aux += nextAux;
                }
                var next = ReadU32(elf, vn + 12, "vn_next");
                if (next == 0)
                    break;
                vn += next;
            }
        }
        return result;
    }

    /// <summary>
    /// Sets <c>VER_FLG_WEAK</c> on every <c>Vernaux</c> entry named <paramref name="versionName"/>, in place.
    /// Only the low byte of each such <c>vna_flags</c> field can change; every other byte stays as it was.
    /// </summary>
    /// <returns>How many entries changed (0 when the version is absent or already weak).</returns>
    public static int MarkWeak(Span<byte> elf, string versionName)
    {
        ArgumentException.ThrowIfNullOrEmpty(versionName);
        var changed = 0;
        foreach (var need in ReadVersionNeeds(elf))
        {
            if (need.Name != versionName || need.IsWeak)
                continue;
            BinaryPrimitives.WriteUInt16LittleEndian(elf[(int)need.FlagsOffset..], (ushort)(need.Flags | VerFlagWeak));
            changed++;
        }
        return changed;
    }

    /// <summary>
    /// Marks <paramref name="versionName"/> weak in the library at <paramref name="path"/>.
    /// The patched bytes go to a temporary file in the same folder, which is then renamed over
    /// <paramref name="path"/>: the rename is atomic, so a concurrent reader (or a second process
    /// patching at the same moment) sees either the old or the new file, never a torn one, and a
    /// hard link that <paramref name="path"/> might share with another file (a NuGet cache) is
    /// replaced rather than written through. Idempotent: a second call returns
    /// <see cref="ElfPatchOutcome.AlreadyWeak"/> without touching the file.
    /// </summary>
    public static ElfPatchOutcome PatchFile(string path, string versionName)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = File.ReadAllBytes(path);
        var needs = ReadVersionNeeds(bytes).Where(n => n.Name == versionName).ToList();
        if (needs.Count == 0)
            return ElfPatchOutcome.NotReferenced;
        if (needs.All(n => n.IsWeak))
            return ElfPatchOutcome.AlreadyWeak;

        MarkWeak(bytes, versionName);
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full)!,
            $".{Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }
            if (!OperatingSystem.IsWindows())
                File.SetUnixFileMode(temp, File.GetUnixFileMode(full));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
        return ElfPatchOutcome.Patched;
    }

    static void CheckHeader(ReadOnlySpan<byte> elf)
    {
        if (elf.Length < ElfHeaderSize || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("Not an ELF file (bad magic).");
        if (elf[4] != 2)
            throw new InvalidDataException($"Only ELF64 is supported (EI_CLASS={elf[4]}).");
        if (elf[5] != 1)
            throw new InvalidDataException($"Only little-endian ELF is supported (EI_DATA={elf[5]}).");
    }

    static long ReadOffset(ReadOnlySpan<byte> elf, long at, string field)
    {
        var value = ReadU64(elf, at, field);
        if (value > (ulong)elf.Length)
            throw new InvalidDataException($"ELF field {field}={value} points past the end of the file ({elf.Length} bytes).");
        return (long)value;
    }

    static ulong ReadU64(ReadOnlySpan<byte> elf, long at, string field)
    {
        CheckRange(elf, at, 8, field);
        return BinaryPrimitives.ReadUInt64LittleEndian(elf[(int)at..]);
    }

    static uint ReadU32(ReadOnlySpan<byte> elf, long at, string field)
    {
        CheckRange(elf, at, 4, field);
        return BinaryPrimitives.ReadUInt32LittleEndian(elf[(int)at..]);
    }

    static void CheckRange(ReadOnlySpan<byte> elf, long at, long length, string what)
    {
        if (at < 0 || length < 0 || at + length > elf.Length)
            throw new InvalidDataException($"ELF {what} at offset {at} (+{length} bytes) lies outside the file ({elf.Length} bytes).");
    }

    static string ReadString(ReadOnlySpan<byte> elf, long tableOffset, long tableSize, uint index)
    {
        if (index >= tableSize)
            throw new InvalidDataException($"ELF string index {index} is outside the string table ({tableSize} bytes).");
        var start = (int)(tableOffset + index);
        var end = elf[start..(int)(tableOffset + tableSize)].IndexOf((byte)0);
        if (end < 0)
            throw new InvalidDataException($"ELF string at index {index} is not terminated.");
        return Encoding.ASCII.GetString(elf.Slice(start, end));
    }
}
