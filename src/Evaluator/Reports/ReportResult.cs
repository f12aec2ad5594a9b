namespace NpEdit.Evaluator.Reports;

/// <summary>The files a report wrote, and the sections it had to leave out (with why).</summary>
public sealed record ReportResult(string MarkdownPath, string HtmlPath, IReadOnlyList<string> Images, IReadOnlyList<string> Notes);
