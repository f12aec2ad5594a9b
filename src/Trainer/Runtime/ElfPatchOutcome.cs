namespace NpEdit.Trainer.Runtime;

/// <summary>What <see cref="ElfVersionPatcher.PatchFile"/> found and did.</summary>
public enum ElfPatchOutcome
{
    /// <summary>The library does not require the version at all; nothing to do.</summary>
    NotReferenced,

    /// <summary>Every reference to the version was already weak (an earlier run patched it); the file was not touched.</summary>
    AlreadyWeak,

    /// <summary>The reference was made weak and the file was atomically replaced.</summary>
    Patched,
}
