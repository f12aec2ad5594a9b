namespace NpEdit.Evaluator.Benchmarks;

/// <summary>The benchmarks the evaluator knows (method notes §4).</summary>
public enum BenchmarkKind { GEdit, ImgEdit, DreamBooth, ShapesWorld }
