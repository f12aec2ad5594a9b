using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NpEdit.Core.Tracking;

/// <summary>
/// A canonical form of a JSON config: object keys sorted, numbers written in one shortest round-trip form
/// (so YAML's <c>1.0e-4</c> and <c>0.0001</c> hash alike), no whitespace. Used for stable config hashes
/// and for the flattened <c>run_params</c>.
/// </summary>
public static class CanonicalJson
{
    public static string Serialize(JsonNode? node)
    {
        var sb = new StringBuilder();
        Write(node, sb);
        return sb.ToString();
    }

    /// <summary>Lower-case hex sha256 of the canonical form.</summary>
    public static string Hash(JsonNode? node) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Serialize(node)))).ToLowerInvariant();

    /// <summary>Leaf values keyed by dotted path (<c>optimizer.lr</c>, <c>data.shards.0</c>).</summary>
    public static IReadOnlyDictionary<string, string> Flatten(JsonNode? node)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Flatten(node, "", result);
        return result;
    }

    private static void Flatten(JsonNode? node, string prefix, IDictionary<string, string> into)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj)
                    Flatten(child, prefix.Length == 0 ? key : $"{prefix}.{key}", into);
                break;
            case JsonArray arr:
                for (var i = 0; i < arr.Count; i++)
                    Flatten(arr[i], $"{prefix}.{i}", into);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                into[prefix] = value.GetValue<string>();
                break;
            default:
                var sb = new StringBuilder();
                Write(node, sb);
                into[prefix] = sb.ToString();
                break;
        }
    }

    private static void Write(JsonNode? node, StringBuilder sb)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject obj:
                sb.Append('{');
                var first = true;
                foreach (var (key, child) in obj.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    if (!first) sb.Append(',');
                    first = false;
                    sb.Append(JsonSerializer.Serialize(key)).Append(':');
                    Write(child, sb);
                }
                sb.Append('}');
                break;
            case JsonArray arr:
                sb.Append('[');
                for (var i = 0; i < arr.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Write(arr[i], sb);
                }
                sb.Append(']');
                break;
            case JsonValue value:
                switch (value.GetValueKind())
                {
                    case JsonValueKind.Number:
                        // Through the JSON text: a value built from a CLR int or float refuses GetValue<double>().
                        var d = double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
                        sb.Append(d == Math.Floor(d) && Math.Abs(d) < 1e15
                            ? ((long)d).ToString(CultureInfo.InvariantCulture)
                            : d.ToString("R", CultureInfo.InvariantCulture));
                        break;
                    case JsonValueKind.True:
                        sb.Append("true");
                        break;
                    case JsonValueKind.False:
                        sb.Append("false");
                        break;
                    default:
                        sb.Append(value.ToJsonString());
                        break;
                }
                break;
        }
    }
}
