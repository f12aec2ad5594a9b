namespace NpEdit.Core.Config.Training;

/// <summary>
/// <c>generator.init_editor</c> as a grid writes it ("SFT + ours", Table 4): <c>variant:sft</c> names another variant
/// of the same grid, meaning the editor that variant's run with the same seed and swept values trains. The grid stores
/// it as <c>run:&lt;config hash&gt;</c> (that run's key in the grid's experiment), so the run's own hash is stable, and
/// the pipeline's train stage replaces it with that run's final generator checkpoint.
/// </summary>
public static class EditorReference
{
    public const string VariantPrefix = "variant:";
    public const string RunPrefix = "run:";

    /// <summary>The variant named by <paramref name="initEditor"/>, or null when it is a path.</summary>
    public static string? Variant(string initEditor) =>
        initEditor.StartsWith(VariantPrefix, StringComparison.Ordinal) ? initEditor[VariantPrefix.Length..].Trim() : null;

    /// <summary>The config hash of the run named by <paramref name="initEditor"/>, or null when it is not a run reference.</summary>
    public static string? RunHash(string initEditor) =>
        initEditor.StartsWith(RunPrefix, StringComparison.Ordinal) ? initEditor[RunPrefix.Length..] : null;

    /// <summary>The stored form of a reference to the run with config hash <paramref name="hash"/>.</summary>
    public static string ToRun(string hash) => RunPrefix + hash;
}
