using Hangfire;
using Hangfire.Dashboard;
using Npgsql;

namespace NpEdit.Jobs.Dashboard;

/// <summary>Adds the Pipeline page, its menu item (with the number of running runs) and report links to Hangfire's dashboard.</summary>
public static class PipelineDashboard
{
    public const string Route = "/pipeline";
    private static readonly Lock Gate = new();
    private static bool _registered;

    /// <summary>Registers the page once per process (Hangfire's routes and menu are global).</summary>
    public static void Register(NpgsqlDataSource dataSource)
    {
        lock (Gate)
        {
            if (_registered)
                return;
            var queries = new PipelineQueries(dataSource);
            DashboardRoutes.Routes.AddRazorPage(Route, _ => new PipelinePage(queries));
            // report/<id>/ is the report; report/<id>/<file> one of its files (the plots report.html shows by relative name).
            DashboardRoutes.Routes.Add($"{Route}/report/(?<id>\\d+)(?:/(?<file>[A-Za-z0-9._-]*))?", new ReportDispatcher(queries));
            var running = new DashboardMetric("npedit:running-runs", "Running runs", _ => new Metric(queries.RunningRuns()));
            NavigationMenu.Items.Add(page => new MenuItem(PipelinePage.Title, page.Url.To(Route))
            {
                Active = page.RequestPath.StartsWith(Route, StringComparison.Ordinal),
                Metric = running,
            });
            _registered = true;
        }
    }
}
