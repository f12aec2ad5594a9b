using Hangfire;

namespace NpEdit.Jobs.Tests.Support;

/// <summary>
/// The serializer settings every npedit process applies (JobsServices.Configure), without binding this test
/// process's global storage or filters: tests use explicit storages, one per test database.
/// </summary>
internal static class HangfireSerialization
{
    private static readonly Lock Gate = new();
    private static bool _done;

    public static void EnsureApplied()
    {
        lock (Gate)
        {
            if (_done) return;
            GlobalConfiguration.Configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            _done = true;
        }
    }
}
