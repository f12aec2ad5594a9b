using System.Text.Json;
using NpEdit.Core.Config;
using NpEdit.Core.Config.Training;
using NpEdit.Core.Tracking;

namespace NpEdit.Jobs.Pipeline.Stages;

/// <summary>The typed config stored with a run (the run row is the single source: jobs carry only the id).</summary>
public static class RunConfig
{
    public static NpEditConfig Of(RunRecord run) =>
        JsonSerializer.Deserialize<NpEditConfig>(run.Config, ConfigLoader.JsonOptions)
            ?? throw new InvalidDataException($"Run {run.Id} has an empty config.");
}
