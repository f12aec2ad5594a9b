using Hangfire.Dashboard;

namespace NpEdit.Jobs.Dashboard;

/// <summary>Serves a grid's report file by grid id, so the Pipeline page can link to it (no path is taken from the request).</summary>
public sealed class ReportDispatcher(PipelineQueries queries) : IDashboardDispatcher
{
    public async Task Dispatch(DashboardContext context)
    {
        var path = long.TryParse(context.UriMatch.Groups["id"].Value, out var id) ? queries.ReportPath(id) : null;
        if (path is null || !File.Exists(path))
        {
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("No report for this grid yet: it is written when its runs' evaluations finish ('npedit grid report <grid>' writes it now).");
            return;
        }
        context.Response.ContentType = path.EndsWith(".html", StringComparison.OrdinalIgnoreCase)
            ? "text/html; charset=utf-8"
            : "text/plain; charset=utf-8";
        await context.Response.WriteAsync(await File.ReadAllTextAsync(path));
    }
}
