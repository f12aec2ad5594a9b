using Hangfire.Dashboard;

namespace NpEdit.Jobs.Dashboard;

/// <summary>
/// Serves a grid's report by grid id, so the Pipeline page can link to it: <c>report/&lt;id&gt;/</c> is the report
/// (report.html with its plots when the Evaluator wrote one, else the markdown as text) and
/// <c>report/&lt;id&gt;/&lt;file&gt;</c> one file of the report's folder, such as a plot the HTML shows. No path is taken
/// from the request: a file is served only when its plain name is among the files of that grid's report folder.
/// </summary>
public sealed class ReportDispatcher(PipelineQueries queries) : IDashboardDispatcher
{
    public const string HtmlFile = "report.html";

    public async Task Dispatch(DashboardContext context)
    {
        var path = long.TryParse(context.UriMatch.Groups["id"].Value, out var id) ? queries.ReportPath(id) : null;
        if (path is null || !File.Exists(path))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("No report for this grid yet: it is written when its runs' evaluations finish ('npedit grid report <grid>' writes it now).");
            return;
        }
        var folder = Path.GetDirectoryName(path)!;
        var requested = context.UriMatch.Groups["file"].Value;
        if (requested.Length > 0)
        {
            var file = Directory.GetFiles(folder).FirstOrDefault(f => Path.GetFileName(f) == requested);
            if (file is null)
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync($"The report of grid {id} has no file '{requested}'.");
                return;
            }
            path = file;
        }
        else if (File.Exists(Path.Combine(folder, HtmlFile)))
            path = Path.Combine(folder, HtmlFile);
        context.Response.ContentType = Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".html" => "text/html; charset=utf-8",
            ".png" => "image/png",
            _ => "text/plain; charset=utf-8",
        };
        await using var stream = File.OpenRead(path);
        await stream.CopyToAsync(context.Response.Body);
    }
}
