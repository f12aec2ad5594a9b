using System.Diagnostics;

namespace NpEdit.Jobs.Tests.Support;

/// <summary>How every test starts the real <c>npedit</c> CLI (the build output next to the tests) as a child process.</summary>
internal static class NpeditStart
{
    public static ProcessStartInfo Info(IReadOnlyDictionary<string, string?> environment, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "npedit.dll"));
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        // Wide output so table cells are not wrapped mid-word.
        psi.Environment["COLUMNS"] = "250";
        foreach (var (key, value) in environment)
            psi.Environment[key] = value;
        return psi;
    }
}
