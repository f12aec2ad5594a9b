using System.Text.Json.Nodes;
using NpEdit.Core.Config;
using NpEdit.Core.Config.Training;
using NpEdit.Core.Database;

namespace NpEdit.Jobs.Grids;

/// <summary>
/// Expands a <see cref="GridSpec"/> into resolved NP-Edit configs. Each point's overrides are layered
/// base file → grid overrides → variant → swept values → seed → experiment name, then resolved against the
/// config record's defaults, so a typo in any key fails here, before anything is queued. A point whose
/// <c>generator.init_editor</c> names another variant (<see cref="EditorReference"/>) comes after that variant's point
/// with the same swept values and seed (<see cref="GridPoint.After"/>).
/// </summary>
public static class GridExpander
{
    public static IReadOnlyList<GridPoint> Expand(GridSpec spec)
    {
        var baseOverrides = LoadBase(spec);
        var drafts = new List<Draft>();
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
                    var coordinates = string.Join(" ", labels.Skip(variant.Length > 0 ? 1 : 0));
                    drafts.Add(new Draft(variant, coordinates, string.Join(" ", labels), point, layered));
                }
            }
        }

        // Points that start from another variant's editor are resolved after the points they name, whose hashes they store.
        var resolved = new Dictionary<Draft, GridPoint>(ReferenceEqualityComparer.Instance);
        var names = new Dictionary<Draft, string?>(ReferenceEqualityComparer.Instance);
        foreach (var draft in drafts)
            names[draft] = EditorVariant(draft);
        foreach (var draft in drafts.Where(d => names[d] is null))
            resolved[draft] = new GridPoint(draft.Label, draft.Point, Resolve(spec, draft));
        foreach (var draft in drafts.Where(d => names[d] is not null))
        {
            var named = names[draft]!;
            var where = $"{spec.SourcePath} [{draft.Label}]: generator.init_editor '{EditorReference.VariantPrefix}{named}'";
            if (named == draft.Variant)
                throw new ConfigException($"{where} names the point's own variant; name the variant whose editor it continues.");
            var after = drafts.FirstOrDefault(d => d.Variant == named && d.Coordinates == draft.Coordinates)
                ?? throw new ConfigException($"{where} names a variant this grid does not have; its variants: {string.Join(", ", spec.Variants.Select(v => v.Name))}.");
            if (names[after] is not null)
                throw new ConfigException($"{where} names a variant that itself continues another variant's editor; chains of variants are not supported.");
            var dependency = resolved[after];
            draft.Layered["generator"]!["init_editor"] = EditorReference.ToRun(dependency.Hash);
            resolved[draft] = new GridPoint(draft.Label, draft.Point, Resolve(spec, draft)) { After = dependency };
        }
        var points = drafts.Select(d => resolved[d]).ToList();
        var clash = points.GroupBy(p => p.Hash).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ConfigException($"{spec.SourcePath}: points '{string.Join("' and '", clash.Select(p => p.Label))}' resolve to the same config; " +
                                      "a variant or value changes nothing. Remove the duplicate.");
        return points;
    }

    /// <summary>A point before its config is resolved: <paramref name="Coordinates"/> are its swept values and seed, without the variant.</summary>
    private sealed record Draft(string Variant, string Coordinates, string Label, JsonObject Point, JsonObject Layered);

    private static ResolvedConfig<NpEditConfig> Resolve(GridSpec spec, Draft draft) =>
        ConfigLoader.Resolve<NpEditConfig>(draft.Layered, $"{spec.SourcePath} [{draft.Label}]");

    private static string? EditorVariant(Draft draft) =>
        draft.Layered["generator"] is JsonObject generator && generator["init_editor"] is JsonValue value
        && value.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? EditorReference.Variant(value.GetValue<string>())
            : null;

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
