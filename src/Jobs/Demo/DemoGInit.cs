using NpEdit.Trainer.Models;
using NpEdit.Trainer.Pretraining;
using NpEdit.Trainer.Runtime;

namespace NpEdit.Jobs.Demo;

/// <summary>
/// Where the full demo's G_init comes from: the GPU-pretrained one bundled with the build (<see cref="BundledGInit"/>),
/// copied into the demo folder so the editor's config names a file in the state folder that a rebuild of the CLI
/// does not move; or, when the build has none, pretraining on the CPU as the quick demo does.
/// </summary>
public static class DemoGInit
{
    /// <summary>The bundled G_init's place in the demo folder.</summary>
    public static string CopyPath(DemoPaths paths) => Path.Combine(paths.Root, "g-init", BundledGInit.FileName);

    /// <summary>
    /// Verifies the G_init at <paramref name="bundled"/> and copies it (weights and config) into the demo folder.
    /// </summary>
    /// <param name="bundled">The bundled weights (<see cref="BundledGInit.BundledPath"/>; tests pass their own).</param>
    /// <param name="paths">The demo folder.</param>
    /// <param name="say">Progress and the reason when the bundled G_init is not used.</param>
    /// <returns>The copy's path, or null when the build has no bundled G_init and the demo must pretrain one.</returns>
    /// <exception cref="DemoStageFailedException">The bundled files are there but unusable (torn, or weights and config disagree).</exception>
    public static string? UseBundled(string bundled, DemoPaths paths, Action<string> say)
    {
        if (!File.Exists(bundled))
        {
            say($"no bundled G_init in this build ({bundled}); pretraining one on the CPU instead (e001, about 10 minutes on 2 cores)");
            return null;
        }
        // Verifying loads the weights into TorchSharp modules: the natives must be loaded our way first (the GLIBCXX
        // preload), as every stage does; the stages select their device again.
        TorchRuntime.Initialize(DeviceSpec.Parse("auto"));
        GeneratorConfig config;
        try
        {
            config = BundledGInit.Verify(bundled);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException)
        {
            throw new DemoStageFailedException(
                $"the bundled G_init is unusable: {e.Message} Restore src/Trainer/Pretraining/Pretrained/ (git checkout) and rebuild, " +
                "or run 'npedit demo --pretrain-g-init' to pretrain one on the CPU instead.");
        }
        var copy = CopyPath(paths);
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        CopyIfChanged(bundled, copy);
        CopyIfChanged(GeneratorCheckpoint.ConfigPath(bundled), GeneratorCheckpoint.ConfigPath(copy));
        say($"bundled {config.Preset} G_init ({config.Step} steps; --pretrain-g-init pretrains one instead): {copy}");
        return copy;
    }

    /// <summary>Copies through a temp file and a rename, and only when the bytes differ, so a rerun leaves an identical copy untouched.</summary>
    static void CopyIfChanged(string from, string to)
    {
        if (File.Exists(to) && File.ReadAllBytes(to).AsSpan().SequenceEqual(File.ReadAllBytes(from)))
            return;
        var temp = $"{to}.tmp-{Environment.ProcessId}";
        File.Copy(from, temp, overwrite: true);
        File.Move(temp, to, overwrite: true);
    }
}
