using NpEdit.Core.Database;

namespace NpEdit.Testing;

/// <summary>
/// A private <c>NPEDIT_HOME</c> (its own embedded cluster) for tests that run the <c>npedit</c> CLI as a
/// child process; the cluster is stopped and the folder removed afterwards.
/// </summary>
public sealed class IsolatedHome : IAsyncLifetime
{
    private readonly TempDirectory _dir = new("npedit-home");

    public string Path => _dir.Path;

    /// <summary>Environment for a child process: this home, and no <c>NPEDIT_DB</c> inherited from the runner.</summary>
    public Dictionary<string, string?> Environment => new() { ["NPEDIT_HOME"] = _dir.Path, ["NPEDIT_DB"] = null };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await new EmbeddedPostgres(System.IO.Path.Combine(_dir.Path, "pg")).StopAsync();
        _dir.Dispose();
    }
}
