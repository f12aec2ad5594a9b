using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace NpEdit.Core.Config;

/// <summary>
/// Builds a typed config from the record's own defaults (every default lives in the record initialisers),
/// then an overrides-only YAML file, then <c>--set key=value</c> overrides. Unknown keys, a mapping where a
/// value is expected (or the reverse) and values of the wrong type are errors that name the dotted key and
/// the file, as nanoGPT's configurator does.
/// </summary>
public static class ConfigLoader
{
    /// <summary>snake_case keys and string enums, the spelling of every YAML file and stored config.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false) },
        WriteIndented = false,
    };

    /// <summary>Defaults, then the file at <paramref name="yamlPath"/> (if any), then <paramref name="sets"/>.</summary>
    public static ResolvedConfig<T> Load<T>(string? yamlPath, IEnumerable<string>? sets = null) where T : new()
    {
        JsonObject? file = null;
        if (yamlPath is not null)
        {
            if (!File.Exists(yamlPath))
                throw new ConfigException($"Config file '{yamlPath}' does not exist. Pass a path such as experiments/<name>.yaml.");
            file = YamlNodes.ParseDocument(File.ReadAllText(yamlPath), yamlPath);
        }
        return Resolve<T>(file, yamlPath ?? "overrides", sets);
    }

    /// <summary>Defaults, then <paramref name="overrides"/> (nested or dotted keys), then <paramref name="sets"/>.</summary>
    public static ResolvedConfig<T> Resolve<T>(JsonObject? overrides, string source = "overrides", IEnumerable<string>? sets = null)
        where T : new()
    {
        var merged = Defaults<T>();
        if (overrides is not null)
            Merge(merged, overrides, "", source);
        foreach (var set in sets ?? [])
        {
            var eq = set.IndexOf('=');
            if (eq <= 0)
                throw new ConfigException($"--set '{set}' is not key=value (e.g. --set optim.lr=1e-4).");
            var patch = Nest(set[..eq].Trim(), YamlNodes.ParseValue(set[(eq + 1)..].Trim(), $"--set '{set}'"));
            Merge(merged, patch, "", "--set");
        }
        T value;
        try
        {
            value = merged.Deserialize<T>(JsonOptions)
                ?? throw new ConfigException($"{source}: the config is empty.");
        }
        catch (JsonException e)
        {
            var key = (e.Path ?? "$").TrimStart('$').TrimStart('.');
            // The value is shown because it may come from --set rather than the file named first.
            var given = NodeAt(merged, key) is { } node ? $" = {node.ToJsonString()}" : "";
            throw new ConfigException($"{source}: '{key}'{given} has the wrong type ({FirstLine(e.Message)}). " +
                                      $"{Choices(typeof(T), key)}The default is {Describe(NodeAt(Defaults<T>(), key))}.");
        }
        var problems = (value as IValidatedConfig)?.Validate().ToList() ?? [];
        if (problems.Count > 0)
            throw new ConfigException($"{source}: invalid config:\n  - {string.Join("\n  - ", problems)}");
        // Re-serialise so the stored JSON is exactly what the typed record holds.
        return new ResolvedConfig<T>(value, JsonSerializer.SerializeToNode(value, JsonOptions)!.AsObject());
    }

    /// <summary>The record's defaults as JSON.</summary>
    public static JsonObject Defaults<T>() where T : new() =>
        JsonSerializer.SerializeToNode(new T(), JsonOptions)!.AsObject();

    private static void Merge(JsonObject target, JsonObject patch, string prefix, string source)
    {
        foreach (var (rawKey, value) in patch.ToList())
        {
            // 'optim.lr: 1e-4' at any level means 'optim: {lr: 1e-4}'.
            if (rawKey.Contains('.'))
            {
                Merge(target, Nest(rawKey, value?.DeepClone()), prefix, source);
                continue;
            }
            var path = prefix.Length == 0 ? rawKey : $"{prefix}.{rawKey}";
            if (!target.TryGetPropertyValue(rawKey, out var current))
                throw new ConfigException($"{source}: unknown config key '{path}'.{Suggest(rawKey, target, prefix)}");
            if (current is JsonObject currentObject)
            {
                if (value is not JsonObject valueObject)
                    throw new ConfigException($"{source}: '{path}' is a section ({string.Join(", ", currentObject.Select(kv => kv.Key))}); " +
                                              "give its keys, not a single value.");
                Merge(currentObject, valueObject, path, source);
            }
            else
            {
                if (value is JsonObject)
                    throw new ConfigException($"{source}: '{path}' is a single value (default {Describe(current)}), not a section.");
                target[rawKey] = value?.DeepClone();
            }
        }
    }

    private static JsonObject Nest(string dotted, JsonNode? value)
    {
        var parts = dotted.Split('.');
        if (parts.Any(string.IsNullOrWhiteSpace))
            throw new ConfigException($"'{dotted}' is not a dotted key such as optim.lr.");
        JsonNode? node = value;
        for (var i = parts.Length - 1; i >= 0; i--)
            node = new JsonObject { [parts[i]] = node };
        return (JsonObject)node!;
    }

    private static string Suggest(string key, JsonObject section, string prefix)
    {
        var known = section.Select(kv => kv.Key).ToList();
        var closest = known.OrderBy(k => Levenshtein(k, key)).FirstOrDefault();
        var scope = prefix.Length == 0 ? "at the top level" : $"in '{prefix}'";
        var hint = closest is not null && Levenshtein(closest, key) <= Math.Max(2, key.Length / 3)
            ? $" Did you mean '{(prefix.Length == 0 ? closest : $"{prefix}.{closest}")}'?"
            : "";
        return $"{hint} Known keys {scope}: {string.Join(", ", known)}.";
    }

    private static JsonNode? NodeAt(JsonObject root, string dotted)
    {
        JsonNode? node = root;
        foreach (var part in dotted.Split('.', StringSplitOptions.RemoveEmptyEntries))
            node = node is JsonObject o && o.TryGetPropertyValue(part, out var child) ? child : null;
        return node;
    }

    /// <summary>"Use one of: …. " when the key at <paramref name="dotted"/> is an enum (the values as a config spells them), else "".</summary>
    private static string Choices(Type root, string dotted)
    {
        Type? type = root;
        foreach (var part in dotted.Split('.', StringSplitOptions.RemoveEmptyEntries))
            type = type?.GetProperties().FirstOrDefault(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == part)?.PropertyType;
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return type is { IsEnum: true }
            ? $"Use one of: {string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.SnakeCaseLower.ConvertName))}. "
            : "";
    }

    private static string Describe(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    private static string FirstLine(string message) => message.Split('\n')[0].Split(" Path:")[0];

    private static int Levenshtein(string a, string b)
    {
        var prev = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var cur = new int[b.Length + 1];
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            prev = cur;
        }
        return prev[b.Length];
    }
}
