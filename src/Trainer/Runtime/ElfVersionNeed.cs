namespace NpEdit.Trainer.Runtime;

/// <summary>
/// One <c>Vernaux</c> entry of an ELF64 <c>.gnu.version_r</c> section: a symbol version
/// (for example <c>GLIBCXX_3.4.32</c>) that a shared library requires from one of its dependencies.
/// </summary>
/// <param name="File">The dependency named by the parent <c>Verneed</c> entry, e.g. <c>libstdc++.so.6</c>.</param>
/// <param name="Name">The version name, e.g. <c>GLIBCXX_3.4.32</c>.</param>
/// <param name="Flags">The <c>vna_flags</c> field; bit 2 is <c>VER_FLG_WEAK</c>.</param>
/// <param name="FlagsOffset">File offset of the 16-bit <c>vna_flags</c> field.</param>
public sealed record ElfVersionNeed(string File, string Name, ushort Flags, long FlagsOffset)
{
    /// <summary>True when the loader treats a missing version as a warning instead of an error.</summary>
    public bool IsWeak => (Flags & ElfVersionPatcher.VerFlagWeak) != 0;
}
