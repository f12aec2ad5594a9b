using System.Text.Json;
using System.Text.Json.Nodes;
using NpEdit.Core.Config;

namespace NpEdit.Jobs.Grids;

/// <summary>
/// An ablation grid (<c>experiments/grids/*.yaml</c>): a base config plus axes, after W&amp;B sweeps
/// (<c>method: grid</c>, <c>parameters: {key: {values: [...]}}</c>) with named <c>variants</c> for rows that change
/// several keys at once (Table 3's "no identity" or "CE") and <c>seeds</c>. Every run is the Cartesian product
/// variant × parameter values × seed.
/// </summary>
/// <param name="Name">Grid name; also the experiment name of its runs.</param>
/// <param name="SourcePath">The YAML file it was read from.</param>
/// <param name="Base">Optional overrides-only NP-Edit config file every point starts from.</param>
/// <param name="Overrides">Overrides applied to every point (after <paramref name="Base"/>).</param>
/// <param name="Variants">Named override sets, in file order; one unnamed empty variant when the file has none.</param>
/// <param name="Parameters">Swept keys and their values, in file order.</param>
/// <param name="Seeds">Seeds; each point is run once per seed.</param>
/// <param name="SeedKey">The config key a seed is written to.</param>
public sealed record GridSpec(
    string Name,
    string? Description,
    string SourcePath,
    string? Base,
    JsonObject Overrides,
    IReadOnlyList<(string Name, JsonObject Overrides)> Variants,
    IReadOnlyList<(string Key, JsonArray Values)> Parameters,
    IReadOnlyList<long> Seeds,
    string SeedKey)
{
    public const string DefaultSeedKey = "run.seed";
    private static readonly string[] KnownKeys = ["name", "description", "method", "base", "seeds", "seed_key", "overrides", "variants", "parameters"];

    /// <summary>
    /// The grid as a document in the file's own format, built from the fields (so a spec changed in code, as the demo
    /// does, is stored as changed). It is what <c>npedit.grids.spec</c> holds and what the ExpandGrid job re-parses.
    /// </summary>
    public JsonObject ToDocument()
    {
        var doc = new JsonObject { ["name"] = Name, ["method"] = "grid" };
        if (Description is not null) doc["description"] = Description;
        if (Base is not null) doc["base"] = Base;
        doc["seeds"] = new JsonArray(Seeds.Select(s => (JsonNode?)s).ToArray());
        doc["seed_key"] = SeedKey;
        doc["overrides"] = Overrides.DeepClone();
        var variants = new JsonObject();
        foreach (var (variant, overrides) in Variants.Where(v => v.Name.Length > 0))
            variants[variant] = overrides.DeepClone();
        if (variants.Count > 0) doc["variants"] = variants;
        var parameters = new JsonObject();
        foreach (var (key, values) in Parameters)
            parameters[key] = new JsonObject { ["values"] = values.DeepClone() };
        if (parameters.Count > 0) doc["parameters"] = parameters;
        return doc;
    }

    public static GridSpec Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"Grid file '{path}' does not exist. Grids live in experiments/grids/grid-*.yaml.", full);
        return Parse(File.ReadAllText(full), full);
    }

    public static GridSpec Parse(string yaml, string source)
    {
        var doc = YamlNodes.ParseDocument(yaml, source);
        foreach (var (key, _) in doc)
            if (!KnownKeys.Contains(key))
                throw new ConfigException($"{source}: unknown grid key '{key}'. Known keys: {string.Join(", ", KnownKeys)}.");

        var name = Text(doc, "name", source);
        if (string.IsNullOrWhiteSpace(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new ConfigException($"{source}: 'name' is required and may use letters, digits, '-', '_' and '.' (got '{name}').");
        var method = Text(doc, "method", source) ?? "grid";
        if (method != "grid")
            throw new ConfigException($"{source}: method '{method}' is not supported; only 'grid' (the full Cartesian product) is.");

        var seeds = doc["seeds"] switch
        {
            null => [0L],
            JsonArray a when a.Count > 0 => a.Select(s => ReadSeed(s, source)).ToList(),
            JsonValue v => [ReadSeed(v, source)],
            _ => throw new ConfigException($"{source}: 'seeds' must be a non-empty list of integers, e.g. [0, 1, 2]."),
        };
        if (seeds.Distinct().Count() != seeds.Count)
            throw new ConfigException($"{source}: 'seeds' lists a seed twice.");

        var variants = new List<(string, JsonObject)>();
        if (doc["variants"] is JsonObject vs)
        {
            foreach (var (variant, body) in vs)
                variants.Add((variant, body switch
                {
                    null => new JsonObject(),
                    JsonObject o => (JsonObject)o.DeepClone(),
                    _ => throw new ConfigException($"{source}: variant '{variant}' must be a mapping of config overrides (or empty)."),
                }));
        }
        else if (doc["variants"] is not null)
            throw new ConfigException($"{source}: 'variants' must map a name to config overrides, e.g. 'only_dmd: {{loss.objective: only_dmd}}'.");
        if (variants.Count == 0)
            variants.Add(("", new JsonObject()));

        var parameters = new List<(string, JsonArray)>();
        if (doc["parameters"] is JsonObject ps)
        {
            foreach (var (key, body) in ps)
            {
                var values = body switch
                {
                    JsonObject o when o["values"] is JsonArray arr && arr.Count > 0 => (JsonArray)arr.DeepClone(),
                    JsonObject o when o.ContainsKey("value") => new JsonArray(o["value"]?.DeepClone()),
                    _ => throw new ConfigException(
                        $"{source}: parameter '{key}' needs 'values: [...]' (non-empty) or 'value: x', as in W&B sweeps."),
                };
                parameters.Add((key, values));
            }
        }
        else if (doc["parameters"] is not null)
            throw new ConfigException($"{source}: 'parameters' must map a config key to {{values: [...]}}.");

        var overrides = doc["overrides"] switch
        {
            null => new JsonObject(),
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw new ConfigException($"{source}: 'overrides' must be a mapping of config keys."),
        };
        return new GridSpec(name, Text(doc, "description", source), source, Text(doc, "base", source),
            overrides, variants, parameters, seeds, Text(doc, "seed_key", source) ?? DefaultSeedKey);
    }

    /// <summary>
    /// The grid restricted to some of its seeds, so a researcher can run one seed of every point first and submit the
    /// whole grid later: the runs of the seeds already submitted keep their hashes, so they are not run again.
    /// </summary>
    public GridSpec WithSeeds(IReadOnlyCollection<long> seeds)
    {
        if (seeds.Count == 0)
            throw new ConfigException($"{SourcePath}: --seeds names no seed; give some of the grid's seeds [{string.Join(", ", Seeds)}].");
        var unknown = seeds.Where(s => !Seeds.Contains(s)).ToArray();
        if (unknown.Length > 0)
            throw new ConfigException($"{SourcePath}: seed(s) {string.Join(", ", unknown)} are not in the grid's seeds [{string.Join(", ", Seeds)}]; " +
                                      "add them to the file's 'seeds' to run them.");
        return this with { Seeds = Seeds.Where(seeds.Contains).ToArray() };
    }

    /// <summary>Points in the grid: variants × parameter values × seeds.</summary>
    public int Size => Variants.Count * Parameters.Aggregate(1, (n, p) => n * p.Values.Count) * Seeds.Count;

    private static long ReadSeed(JsonNode? node, string source) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && long.TryParse(v.ToJsonString(), out var seed)
            ? seed
            : throw new ConfigException($"{source}: seed '{node?.ToJsonString()}' is not an integer.");

    private static string? Text(JsonObject doc, string key, string source) => doc[key] switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        var other => throw new ConfigException($"{source}: '{key}' must be text (got {other.ToJsonString()})."),
    };
}
