using System.Diagnostics;
using System.Runtime.Versioning;
using NpEdit.Trainer.Runtime;

namespace NpEdit.Trainer.Tests.Runtime;

/// <summary>The patcher works on copies of the NuGet package's libLibTorchSharp.so in a temp folder.</summary>
[SupportedOSPlatform("linux")]
public sealed class ElfVersionPatcherFacts : IDisposable
{
    const string Version = TorchRuntime.GlibcxxVersion;
    readonly string _dir = Directory.CreateTempSubdirectory("npedit-elf-").FullName;
    readonly string _original = TorchTestEnvironment.NuGetLibTorchSharpFiles().First();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void ReadVersionNeeds_ListsTheStrongGlibcxxRequirement_InThePackageFile()
    {
        var needs = ElfVersionPatcher.ReadVersionNeeds(File.ReadAllBytes(_original));

        var glibcxx = Assert.Single(needs, n => n.Name == Version);
        Assert.Equal("libstdc++.so.6", glibcxx.File);
        Assert.False(glibcxx.IsWeak);
        Assert.Contains(needs, n => n.File == "libc.so.6" && n.Name == "GLIBC_2.2.5");
    }

    [Fact]
    public void PatchFile_SetsTheWeakFlagAndChangesNoOtherByte()
    {
        var copy = CopyOriginal("lib.so");
        var before = File.ReadAllBytes(copy);

        var outcome = ElfVersionPatcher.PatchFile(copy, Version);

        Assert.Equal(ElfPatchOutcome.Patched, outcome);
        var after = File.ReadAllBytes(copy);
        Assert.Equal(before.Length, after.Length);
        var need = ElfVersionPatcher.ReadVersionNeeds(after).Single(n => n.Name == Version);
        Assert.True(need.IsWeak);
        var changed = Enumerable.Range(0, before.Length).Where(i => before[i] != after[i]).ToArray();
        Assert.Equal([need.FlagsOffset], changed.Select(i => (long)i));
        Assert.Equal(before[changed[0]] | ElfVersionPatcher.VerFlagWeak, after[changed[0]]);
        Assert.All(ElfVersionPatcher.ReadVersionNeeds(after).Where(n => n.Name != Version), n => Assert.False(n.IsWeak));
    }

    [Fact]
    public void PatchFile_IsANoOp_WhenAlreadyPatched()
    {
        var copy = CopyOriginal("lib.so");
        ElfVersionPatcher.PatchFile(copy, Version);
        var patched = File.ReadAllBytes(copy);
        var inode = Inode(copy);
        var written = File.GetLastWriteTimeUtc(copy);

        var outcome = ElfVersionPatcher.PatchFile(copy, Version);

        Assert.Equal(ElfPatchOutcome.AlreadyWeak, outcome);
        Assert.Equal(patched, File.ReadAllBytes(copy));
        Assert.Equal(inode, Inode(copy));
        Assert.Equal(written, File.GetLastWriteTimeUtc(copy));
    }

    [Fact]
    public void PatchFile_ReturnsNotReferenced_WhenTheVersionIsAbsent()
    {
        var copy = CopyOriginal("lib.so");
        var before = File.ReadAllBytes(copy);

        Assert.Equal(ElfPatchOutcome.NotReferenced, ElfVersionPatcher.PatchFile(copy, "GLIBCXX_9.9.99"));
        Assert.Equal(before, File.ReadAllBytes(copy));
    }

    [Fact]
    public void PatchFile_ReplacesAHardLinkInsteadOfWritingThroughIt()
    {
        var cache = CopyOriginal("cache.so");
        var output = Path.Combine(_dir, "output.so");
        Run("ln", cache, output);
        var cacheBytes = File.ReadAllBytes(cache);

        ElfVersionPatcher.PatchFile(output, Version);

        Assert.Equal(cacheBytes, File.ReadAllBytes(cache));
        Assert.NotEqual(Inode(cache), Inode(output));
        Assert.True(ElfVersionPatcher.ReadVersionNeeds(File.ReadAllBytes(output)).Single(n => n.Name == Version).IsWeak);
    }

    [Fact]
    public void PatchFile_EndsPatchedWithNoTempFiles_WhenManyPatchAtOnce()
    {
        var copy = CopyOriginal("lib.so");
        var mode = File.GetUnixFileMode(copy);

        var outcomes = Enumerable.Range(0, 8).AsParallel().WithDegreeOfParallelism(8)
            .Select(_ => ElfVersionPatcher.PatchFile(copy, Version)).ToArray();

        Assert.Contains(ElfPatchOutcome.Patched, outcomes);
        Assert.All(outcomes, o => Assert.NotEqual(ElfPatchOutcome.NotReferenced, o));
        Assert.True(ElfVersionPatcher.ReadVersionNeeds(File.ReadAllBytes(copy)).Single(n => n.Name == Version).IsWeak);
        Assert.Equal(["lib.so"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.Equal(mode, File.GetUnixFileMode(copy));
    }

    [Fact]
    public void ReadVersionNeeds_ThrowsInvalidData_WhenNotElf64()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.ReadVersionNeeds("not an elf file at all, just text......................................"u8));
        var truncated = File.ReadAllBytes(_original).AsSpan(0, 4096).ToArray();
        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.ReadVersionNeeds(truncated));
    }

    string CopyOriginal(string name)
    {
        var path = Path.Combine(_dir, name);
        File.Copy(_original, path);
        return path;
    }

    static string Inode(string path) => Run("stat", "-c", "%i", path);

    static string Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true })!;
        var output = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }
}
