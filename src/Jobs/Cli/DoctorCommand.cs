using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using Npgsql;
using NpEdit.Core.Database;
using NpEdit.Core.Vlm;
using NpEdit.Trainer.Runtime;
using Spectre.Console;

namespace NpEdit.Jobs.Cli;

/// <summary><c>npedit doctor</c>: what this machine can run, and what to fix if it cannot.</summary>
internal static class DoctorCommand
{
    public static Command Build()
    {
        var device = new Option<string>("--device")
        {
            Description = "Device to check: auto (CUDA when it initializes, else CPU), cpu, or cuda[:N].",
            DefaultValueFactory = _ => "auto",
        };
        var checkOneDnn = new Option<bool>("--check-onednn")
        {
            Description = "Find the fastest oneDNN instruction-set cap whose convolutions match fp64 on this CPU (each cap in " +
                          "a child process, from the highest down) and record it for later runs (default cap: SSE41).",
        };
        var convolutionsOnly = new Option<bool>(OneDnnCapSearch.ChildOption) { Hidden = true };
        var command = new Command("doctor",
            "Check the machine: .NET, TorchSharp natives (and from where), oneDNN's convolutions against fp64, torch " +
            "threads, CUDA, PostgreSQL and schema version, configured VLM endpoints. Exits 1 when torch or PostgreSQL " +
            "is not usable, or convolutions are wrong.")
        {
            device, checkOneDnn, convolutionsOnly,
        };
        CliAction.Set(command, async (parse, ct) =>
        {
            if (parse.GetValue(convolutionsOnly))
                return CheckConvolutionsOnly();
            if (parse.GetValue(checkOneDnn))
                return await SearchOneDnnCapAsync(ct);
            var spec = DeviceSpec.Parse(parse.GetValue(device));
            var table = new Table().AddColumns("check", "status", "details").Border(TableBorder.Rounded);
            var torchOk = AddTorch(table, spec);
            var dbOk = await AddPostgresAsync(table, ct);
            await AddEndpointsAsync(table, ct);
            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine(torchOk && dbOk
                ? "[green]ready[/]: torch and PostgreSQL work."
                : "[red]not ready[/]: fix the rows marked FAIL.");
            return torchOk && dbOk ? 0 : 1;
        });
        return command;
    }

    private static bool AddTorch(Table table, DeviceSpec spec)
    {
        table.AddRow(".NET", Ok(true), Markup.Escape($"{RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription}"));
        var probe = TorchRuntime.Probe(spec);
        table.AddRow("torch natives", Ok(probe.NativesLoaded),
            Markup.Escape(probe.NativesLoaded ? $"libLibTorchSharp: {probe.LibTorchSharpPath}\nlibtorch: {probe.LibTorchPath}" : probe.NativeError ?? ""));
        table.AddRow("GLIBCXX patch", Ok(probe.NativesLoaded), Markup.Escape(probe.GlibcxxPatchDetail));
        table.AddRow("oneDNN ISA cap", Ok(true), Markup.Escape(probe.OneDnnIsa));
        var convolutionsExact = true;
        if (probe.NativesLoaded)
        {
            var check = ConvolutionCheck.Run();
            convolutionsExact = check.Exact;
            table.AddRow("convolutions", Ok(check.Exact), Markup.Escape(check.Exact
                ? $"fp32 matches fp64 (worst relative error {check.WorstError:G2})"
                : $"fp32 {(double.IsNaN(check.WorstError) ? "gives NaN" : $"is off fp64 by {check.WorstError:G3}")} ({check.WorstCase}): oneDNN's kernels under this cap are wrong " +
                  $"on this CPU. Unset {OneDnnIsaCap.Variable} (npedit then caps it at {OneDnnIsaCap.Cap}) or run 'npedit doctor --check-onednn'."));
        }
        table.AddRow("NNPACK", Ok(true), Markup.Escape(probe.Nnpack));
        table.AddRow("torch threads", Ok(probe.TorchThreads > 0), probe.TorchThreads.ToString());
        table.AddRow("CUDA", probe.CudaAvailable ? Ok(true) : "[grey]none[/]",
            Markup.Escape(probe.CudaAvailable
                ? $"{probe.CudaDeviceCount} device(s){(probe.CudaDeviceName is null ? "" : $", cuda:0 = {probe.CudaDeviceName}")}; {probe.CudaDetail}"
                : probe.CudaDetail));
        table.AddRow("device", Ok(probe.SelectedDevice is not null),
            Markup.Escape($"{spec} -> {probe.SelectedDevice ?? "none"}: {probe.SelectionReason}"));
        return probe.NativesLoaded && convolutionsExact && probe.SelectedDevice is not null;
    }

    /// <summary>The child side of <see cref="OneDnnCapSearch"/>: the check under this process's cap, one line.</summary>
    private static int CheckConvolutionsOnly()
    {
        TorchRuntime.Initialize(DeviceSpec.Cpu);
        var check = ConvolutionCheck.Run();
        Console.WriteLine(string.Join('\t', OneDnnCapSearch.ChildMarker, check.WorstError.ToString("R", CultureInfo.InvariantCulture), check.WorstCase));
        return 0;
    }

    private static async Task<int> SearchOneDnnCapAsync(CancellationToken ct)
    {
        AnsiConsole.MarkupLine($"Checking oneDNN's convolutions against fp64 under each instruction-set cap, highest first ({Markup.Escape(OneDnnVerdictStore.MachineKey())}):");
        var table = new Table().AddColumns("cap", "worst error", "where", "verdict").Border(TableBorder.Rounded);
        var trials = await OneDnnCapSearch.RunAsync(trial => AnsiConsole.MarkupLine(Markup.Escape(
            $"  {trial.Isa}: {(trial.Exact ? "exact" : "wrong")} ({trial.WorstError:G3})")), ct);
        foreach (var trial in trials)
            table.AddRow(trial.Isa, trial.WorstError.ToString("G3", CultureInfo.InvariantCulture), Markup.Escape(trial.Detail), Ok(trial.Exact));
        AnsiConsole.Write(table);
        if (trials[^1] is not { Exact: true } exact)
        {
            AnsiConsole.MarkupLine("[red]no cap gives exact convolutions on this CPU[/]: nothing was recorded. Convolutional models " +
                                   "(the ShapesWorld oracle) will be wrong here; run them on another machine.");
            return 1;
        }
        string path;
        try
        {
            path = OneDnnCapSearch.Record(exact);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            AnsiConsole.MarkupLine($"[red]error:[/] {exact.Isa} is exact here but could not be recorded: {Markup.Escape(e.Message)}");
            return 1;
        }
        AnsiConsole.MarkupLine(Markup.Escape(
            $"recorded {exact.Isa} for this machine in {path}: later npedit processes run oneDNN under it " +
            $"({OneDnnIsaCap.Variable} still overrides it; rerun this check after a CPU, driver or libtorch change)."));
        return 0;
    }

    private static async Task<bool> AddPostgresAsync(Table table, CancellationToken ct)
    {
        var mode = NpEditDatabase.UsesEmbeddedCluster ? "embedded cluster" : NpEditDatabase.ConnectionVariable;
        try
        {
            var cs = await NpEditDatabase.ResolveConnectionStringAsync(ct);
            // The embedded cluster is ours to keep current; a shared NPEDIT_DB server is only reported on.
            await using var dataSource = NpEditDatabase.UsesEmbeddedCluster
                ? await NpEditDatabase.OpenAsync(cs, ct)
                : NpgsqlDataSource.Create(cs);
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            var migrator = new SchemaMigrator(dataSource);
            var version = await migrator.CurrentVersionAsync(ct);
            var b = new NpgsqlConnectionStringBuilder(cs);
            var upToDate = version == migrator.LatestVersion;
            table.AddRow("PostgreSQL", Ok(true),
                Markup.Escape($"{mode}: {b.Host}:{b.Port}/{b.Database}, server {conn.PostgreSqlVersion}"));
            table.AddRow("schema", upToDate ? Ok(true) : "[yellow]BEHIND[/]",
                Markup.Escape(upToDate
                    ? $"version {version} (latest)"
                    : $"version {version}, this build has {migrator.LatestVersion}: run './npedit db up'"));
            return true;
        }
        catch (Exception e) when (e is DatabaseSetupException or NpgsqlException)
        {
            table.AddRow("PostgreSQL", Ok(false), Markup.Escape($"{mode}: {e.Message}"));
            return false;
        }
    }

    private static async Task AddEndpointsAsync(Table table, CancellationToken ct)
    {
        IReadOnlyList<VlmEndpoint> endpoints;
        try
        {
            endpoints = VlmEndpoint.FromEnvironment();
        }
        catch (FormatException e)
        {
            table.AddRow("VLM endpoints", "[yellow]INVALID[/]", Markup.Escape(e.Message));
            return;
        }
        if (endpoints.Count == 0)
        {
            table.AddRow("VLM endpoints", "[grey]none[/]",
                Markup.Escape($"{VlmEndpoint.EndpointsVariable} is unset; the demo uses the embedded ShapesWorld annotator."));
            return;
        }
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var endpoint in endpoints)
        {
            var models = new Uri(endpoint.BaseUrl.ToString().TrimEnd('/') + "/models");
            string status;
            try
            {
                using var reply = await http.GetAsync(models, ct);
                status = reply.IsSuccessStatusCode ? Ok(true) : $"[yellow]HTTP {(int)reply.StatusCode}[/]";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                status = "[yellow]UNREACHABLE[/]";
            }
            table.AddRow("VLM endpoint", status, Markup.Escape($"{endpoint.Model} @ {endpoint.BaseUrl}"));
        }
    }

    private static string Ok(bool ok) => ok ? "[green]OK[/]" : "[red]FAIL[/]";
}
