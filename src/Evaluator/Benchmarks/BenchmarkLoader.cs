namespace NpEdit.Evaluator.Benchmarks;

/// <summary>Loads any benchmark by kind from its folder; the CLI's single entry point.</summary>
public static class BenchmarkLoader
{
    public static BenchmarkKind ParseKind(string name) => name.Trim().ToLowerInvariant() switch
    {
        "gedit" or "gedit-bench" or "gedit-en" => BenchmarkKind.GEdit,
        "imgedit" or "imgedit-basic" => BenchmarkKind.ImgEdit,
        "dreambooth" => BenchmarkKind.DreamBooth,
        "shapesworld" or "shapes" or "shapesworld-bench" => BenchmarkKind.ShapesWorld,
        _ => throw new ArgumentException($"Unknown benchmark '{name}'; use gedit, imgedit, dreambooth or shapesworld."),
    };

    public static Task<EvalBenchmark> LoadAsync(BenchmarkKind kind, string root, CancellationToken ct = default) => kind switch
    {
        BenchmarkKind.GEdit => GEditBenchLoader.LoadAsync(root, "en", ct),
        BenchmarkKind.ImgEdit => ImgEditBenchLoader.LoadAsync(root, ct),
        BenchmarkKind.DreamBooth => DreamBoothLoader.LoadAsync(root, ct),
        BenchmarkKind.ShapesWorld => ShapesWorldBenchLoader.LoadAsync(root, ct),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
