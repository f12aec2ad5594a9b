using System.Text.Json.Nodes;
using NpEdit.Core.Config;
using NpEdit.Core.Config.Training;
using NpEdit.Core.Database;

namespace NpEdit.Jobs.Grids;

/// <summary>
/// Expands a <see cref="GridSpec"/> into resolved NP-Edit configs. Each point's overrides are layered
/// base file → grid overrides → variant → swept values → seed → experiment name, then resolved against the
/// config record's defaults, so a typo in any key fails here, before anything is queued.
/// </summary>
public static class GridExpander
{
    public static IReadOnlyList<GridPoint> Expand(GridSpec spec)
    {
        var baseOverrides = LoadBase(spec);
        var points = new List<GridPoint>();
        foreach (var (variant, variantOverrides) in spec.Variants)
        {
            foreach (var values in Product(spec.Parameters))
            {
                foreach (var seed in spec.Seeds)
                {
                    var point = new JsonObject();
                    var labels = new List<string>();
                    if (variant.Length > 0)
                    {
                        point["variant"] = variant;
                        labels.Add(variant);
                    }
                    var layered = new JsonObject();
                    Layer(layered, baseOverrides);
                    Layer(layered, spec.Overrides);
                    Layer(layered, variantOverrides);
                    foreach (var (key, value) in values)
                    {
                        point[key] = value?.DeepClone();
                        labels.Add($"{key}={Describe(value)}");
                        Layer(layered, new JsonObject { [key] = value?.DeepClone() });
                    }
                    point["seed"] = seed;
                    labels.Add($"seed={seed}");
                    Layer(layered, new JsonObject { [spec.SeedKey] = seed, ["experiment"] = spec.Name });
                    var label = string.Join(" ", labels);
                    var config = ConfigLoader.Resolve<NpEditConfig>(layered, $"{spec.SourcePath} [{label}]");
                    points.Add(new GridPoint(label, point, config));
                }
            }
        }
        var clash = points.GroupBy(p => p.Hash).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ConfigException($"{spec.SourcePath}: points '{string.Join("' and '", clash.Select(p => p.Label))}' resolve to the same config; " +
                                      "a variant or value changes nothing. Remove the duplicate.");
        return points;
    }

    private static JsonObject LoadBase(GridSpec spec)
    {
        if (spec.Base is null)
            return new JsonObject();
        var candidates = new[]
        {
            Path.Combine(Path.GetDirectoryName(spec.SourcePath) ?? ".", spec.Base),
            Path.Combine(ProjectPaths.FindRepositoryRoot() ?? ".", spec.Base),
        };
        var path = candidates.FirstOrDefault(File.Exists)
            ?? throw new ConfigException($"{spec.SourcePath}: base config '{spec.Base}' not found (looked next to the grid file and at the repository root).");
        return YamlNodes.ParseDocument(File.ReadAllText(path), path);
    }

    /// <summary>Deep-merges <paramref name="patch"/> into <paramref name="target"/>; dotted keys address nested sections.</summary>
    private static void Layer(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            var parts = key.Split('.');
            var section = target;
            foreach (var part in parts[..^1])
            {
                if (section[part] is not JsonObject child)
                {
                    child = new JsonObject();
                    section[part] = child;
                }
                section = child;
            }
            var leaf = parts[^1];
            if (value is JsonObject nested)
            {
                if (section[leaf] is not JsonObject existing)
                {
                    existing = new JsonObject();
                    section[leaf] = existing;
                }
                Layer(existing, nested);
            }
            else
            {
                section[leaf] = value?.DeepClone();
            }
        }
    }

    private static IEnumerable<IReadOnlyList<(string Key, JsonNode? Value)>> Product(IReadOnlyList<(string Key, JsonArray Values)> parameters)
    {
        IEnumerable<IReadOnlyList<(string, JsonNode?)>> combos = [[]];
        foreach (var (key, values) in parameters)
            combos = combos.SelectMany(c => values.Select(v => (IReadOnlyList<(string, JsonNode?)>)[.. c, (key, v)])).ToList();
        return combos;
    }

    private static string Describe(JsonNode? value) =>
        value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.String ? v.GetValue<string>() : value?.ToJsonString() ?? "null";
}
