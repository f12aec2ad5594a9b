namespace NpEdit.Evaluator.Benchmarks;

/// <summary>A benchmark's files are missing or incomplete; the message says what to download and where to put it.</summary>
public sealed class BenchmarkFilesMissingException(string message, string? path = null) : FileNotFoundException(message, path);
