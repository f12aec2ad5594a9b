using System.Text.Json.Nodes;
using NpEdit.Core.Config;
using NpEdit.Core.Config.Training;

namespace NpEdit.Jobs.Grids;

/// <summary>One run of a grid: its coordinates (variant, swept values, seed) and the fully resolved config.</summary>
/// <param name="Label">Readable coordinates, e.g. <c>only_dmd data.fraction=0.5 seed=1</c>; the run's name.</param>
/// <param name="Point">The same coordinates as JSON, stored in <c>npedit.grid_runs.point</c>.</param>
public sealed record GridPoint(string Label, JsonObject Point, ResolvedConfig<NpEditConfig> Config)
{
    /// <summary>The point whose trained editor this one starts from (<c>generator.init_editor: variant:NAME</c>), or null.</summary>
    public GridPoint? After { get; init; }

    /// <summary>The config hash that identifies the run within the grid's experiment.</summary>
    public string Hash => Config.Hash;
}
