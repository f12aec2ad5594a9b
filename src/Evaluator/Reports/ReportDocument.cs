using System.Net;
using System.Text;
using Microsoft.Data.Analysis;

namespace NpEdit.Evaluator.Reports;

/// <summary>Builds report.md and report.html side by side from the same headings, paragraphs, tables and images.</summary>
public sealed class ReportDocument(string title)
{
    private readonly StringBuilder _md = new($"# {title}\n\n");
    private readonly StringBuilder _html = new(
        $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{WebUtility.HtmlEncode(title)}</title>\n" +
        "<style>body{font-family:'DejaVu Sans',sans-serif;max-width:1100px;margin:2em auto}table{border-collapse:collapse}" +
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}th{background:#f4f4f4}td:first-child{text-align:left}img{max-width:100%}</style>\n" +
        $"</head><body>\n<h1>{WebUtility.HtmlEncode(title)}</h1>\n");

    public void Heading(string text)
    {
        _md.Append($"## {text}\n\n");
        _html.Append($"<h2>{WebUtility.HtmlEncode(text)}</h2>\n");
    }

    public void Paragraph(string text)
    {
        _md.Append(text).Append("\n\n");
        _html.Append($"<p>{WebUtility.HtmlEncode(text)}</p>\n");
    }

    public void Image(string fileName, string alt)
    {
        _md.Append($"![{alt}]({fileName})\n\n");
        _html.Append($"<p><img src=\"{WebUtility.HtmlEncode(fileName)}\" alt=\"{WebUtility.HtmlEncode(alt)}\"></p>\n");
    }

    /// <summary>A DataFrame as a table; null cells print as "–", doubles with two decimals (two significant digits below 0.1).</summary>
    public void Table(DataFrame frame)
    {
        var names = frame.Columns.Select(c => c.Name).ToArray();
        _md.Append("| ").Append(string.Join(" | ", names)).Append(" |\n|").Append(string.Concat(names.Select(_ => "---|"))).Append('\n');
        _html.Append("<table><tr>").Append(string.Concat(names.Select(n => $"<th>{WebUtility.HtmlEncode(n)}</th>"))).Append("</tr>\n");
        foreach (var row in frame.Rows)
        {
            var cells = row.Select(Format).ToArray();
            _md.Append("| ").Append(string.Join(" | ", cells.Select(c => c.Replace("|", "\\|")))).Append(" |\n");
            _html.Append("<tr>").Append(string.Concat(cells.Select(c => $"<td>{WebUtility.HtmlEncode(c)}</td>"))).Append("</tr>\n");
        }
        _md.Append('\n');
        _html.Append("</table>\n");
    }

    public (string Markdown, string Html) Render() => (_md.ToString(), _html + "</body></html>\n");

    private static string Format(object? value) => value switch
    {
        null => "–",
        double d when !double.IsFinite(d) => "–",
        // Two decimals; a non-zero value below 0.1 keeps two significant digits (a seed spread of 0.004 is not 0.00).
        double d => d.ToString(d != 0 && Math.Abs(d) < 0.1 ? "G2" : "F2", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "–",
    };
}
