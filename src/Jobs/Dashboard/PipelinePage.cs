using System.Globalization;
using System.Net;
using System.Text;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;

namespace NpEdit.Jobs.Dashboard;

/// <summary>
/// The dashboard's "Pipeline" page: datasets, grids with links to their reports, training runs with their live
/// step and losses (from the metrics table), evaluation runs, and the latest job executions. Reloads every 5 s.
/// </summary>
public sealed class PipelinePage(PipelineQueries queries) : RazorPage
{
    public const string Title = "Pipeline";

    public override void Execute()
    {
        Layout = new LayoutPage(Title);
        var snapshot = queries.Read();
        var html = new StringBuilder();
        html.Append("<div class=\"row\"><div class=\"col-md-12\" id=\"npedit-pipeline\">");
        html.Append($"<h1 class=\"page-header\">{Title}</h1>");

        Section(html, "datasets", "Datasets", ["id", "name", "status", "units", "rows"],
            snapshot.Datasets.Select(d => new[] { Text(d.Id), Text(d.Name), Status(d.Status), Text($"{d.UnitsFinished}/{d.Units}"), Text(d.Rows) }));

        Section(html, "grids", "Grids and reports", ["grid", "runs", "finished", "failed", "report"],
            snapshot.Grids.Select(g => new[]
            {
                Text(g.Name), Text(g.Runs), Text(g.Finished), Text(g.Failed),
                g.ReportPath is null ? Text("not yet") : $"<a href=\"{Url.To($"/pipeline/report/{g.Id}/")}\">{Encode(Path.GetFileName(g.ReportPath))}</a>",
            }));

        var training = snapshot.Runs.Where(r => !r.Kind.StartsWith("eval", StringComparison.Ordinal)).ToList();
        var evaluations = snapshot.Runs.Where(r => r.Kind.StartsWith("eval", StringComparison.Ordinal)).ToList();
        Section(html, "runs", "Runs", ["run", "experiment", "kind", "status", "step", "losses", "ShapesWorld-Bench", "job"],
            training.Select(RunCells));
        Section(html, "evals", "Evaluation runs", ["run", "experiment", "kind", "status", "step", "losses", "scores", "job"],
            evaluations.Select(RunCells));

        Section(html, "executions", "Latest job executions", ["job", "type", "queue", "server", "outcome", "started", "ended"],
            snapshot.Executions.Select(e => new[]
            {
                JobLink(e.JobId), Text(e.JobType), Text(e.Queue ?? ""), Text(e.ServerId), Status(e.Outcome), Time(e.StartedAt), Time(e.EndedAt),
            }));

        html.Append("</div></div>");
        // Live view without a client framework: the page re-reads the database every few seconds.
        html.Append("<script>setTimeout(function () { window.location.reload(); }, 5000);</script>");
        WriteLiteral(html.ToString());
    }

    private string[] RunCells(PipelineSnapshot.RunRow r) =>
    [
        $"<span title=\"{r.Id}\">{Encode(r.Name ?? r.Id.ToString()[..8])}</span>",
        Text(r.Experiment), Text(r.Kind),
        Status(r.Status) + (r.Error is null ? "" : $" <span class=\"text-muted\" title=\"{Encode(r.Error)}\">(why?)</span>"),
        Text(r.Step?.ToString(CultureInfo.InvariantCulture) ?? "–"), Text(r.Losses), Text(r.Bench), r.JobId is null ? "" : JobLink(r.JobId),
    ];

    private static void Section(StringBuilder html, string id, string title, string[] headers, IEnumerable<string[]> rows)
    {
        var list = rows.ToList();
        html.Append($"<h3 id=\"{id}\">{title}</h3>");
        if (list.Count == 0)
        {
            html.Append($"<p class=\"text-muted\" data-empty=\"{id}\">None yet.</p>");
            return;
        }
        html.Append($"<div class=\"table-responsive\"><table class=\"table table-striped\" data-section=\"{id}\"><thead><tr>");
        foreach (var h in headers)
            html.Append($"<th>{h}</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in list)
        {
            html.Append("<tr>");
            foreach (var cell in row)
                html.Append($"<td>{cell}</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table></div>");
    }

    private string JobLink(string jobId) => $"<a href=\"{Url.JobDetails(jobId)}\">#{Encode(jobId)}</a>";

    private static string Status(string status)
    {
        var label = status switch
        {
            "finished" or "succeeded" => "label-success",
            "running" or "building" => "label-info",
            "failed" => "label-danger",
            "cancelled" => "label-warning",
            _ => "label-default",
        };
        return $"<span class=\"label {label}\">{Encode(status)}</span>";
    }

    private static string Time(DateTime? t) => t is null ? "" : Encode(t.Value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z");
    private static string Text(object value) => Encode(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "");
    private static string Encode(string s) => WebUtility.HtmlEncode(s);
}
