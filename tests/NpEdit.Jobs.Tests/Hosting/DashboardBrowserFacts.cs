using System.Text.RegularExpressions;
using Microsoft.Playwright;
using NpEdit.Core.Tracking;
using NpEdit.Jobs.Grids;
using NpEdit.Jobs.Tests.Support;

namespace NpEdit.Jobs.Tests.Hosting;

/// <summary>
/// <c>npedit serve</c> seen through a real browser: Debian's chromium driven by Playwright (no browser download),
/// the dashboard, the Pipeline menu item, and the Pipeline page with a run's live step and loss.
/// </summary>
public sealed partial class DashboardBrowserFacts : IAsyncLifetime
{
    public const string Chromium = "/usr/bin/chromium";
    private readonly JobsDatabase _db = new();

    public Task InitializeAsync() => _db.InitializeAsync();
    public Task DisposeAsync() => _db.DisposeAsync();

    [GeneratedRegex(@"dashboard: (http://\S+/hangfire)")]
    private static partial Regex Ready();

    [Fact]
    public async Task DashboardAndPipelinePage_RenderInChromium()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (apt-get install chromium); .ci/run does.");
        var submitted = await new GridSubmitter(_db.DataSource, _db.Storage, _db.Jobs).SubmitAsync(GridSpec.Load(RepoFiles.Grid("grid-demo.yaml")));
        var run = (await new GridStore(_db.DataSource).RunsAsync(submitted.GridId))[0];
        await new RunStore(_db.DataSource).SetStatusAsync(run.RunId, RunStatus.Running);
        await new MetricStore(_db.DataSource).LogAsync(
        [
            new MetricPoint(run.RunId, "loss/total", 120, 0.4123, DateTime.UtcNow),
            new MetricPoint(run.RunId, "loss/vlm", 120, 0.6931, DateTime.UtcNow),
        ]);
        await new GridReporter(_db.DataSource, Path.Combine(_db.Home, "reports")).WriteAsync(submitted.GridId);

        var (serve, ready) = await LongRunningNpedit.StartAsync(_db.Environment, Ready(), "serve", "--port", "0", "--no-worker");
        await using var _ = serve;
        var dashboard = ready.Groups[1].Value;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });

        await page.GotoAsync(dashboard);
        Assert.Contains("NpEdit jobs", await page.TitleAsync());
        var menu = page.Locator("a", new PageLocatorOptions { HasTextString = "Pipeline" }).First;
        await menu.WaitForAsync();
        Assert.Contains("1", await menu.InnerTextAsync()); // the running-runs metric

        await menu.ClickAsync();
        await page.WaitForURLAsync("**/hangfire/pipeline");
        await page.Locator("#npedit-pipeline").WaitForAsync();
        foreach (var heading in new[] { "Datasets", "Grids and reports", "Runs", "Evaluation runs", "Latest job executions" })
            Assert.True(await page.GetByRole(AriaRole.Heading, new PageGetByRoleOptions { Name = heading, Exact = true }).IsVisibleAsync(), heading);
        var runRow = page.Locator("table[data-section=runs] tbody tr").First;
        var runText = await runRow.InnerTextAsync();
        Assert.Contains("seed=0", runText);
        Assert.Contains("running", runText);
        Assert.Contains("120", runText);
        Assert.Contains("loss/total 0.4123", runText);
        Assert.Contains("loss/vlm 0.6931", runText);

        var screenshots = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(screenshots);
        var shot = Path.Combine(screenshots, "pipeline.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        Assert.True(new FileInfo(shot).Length > 10_000, "the screenshot is suspiciously small");

        var report = page.Locator("table[data-section=grids] a", new PageLocatorOptions { HasTextString = GridReporter.RunsFile });
        await report.ClickAsync();
        Assert.Contains("# Grid `demo`", await page.Locator("body").InnerTextAsync());
    }
}
