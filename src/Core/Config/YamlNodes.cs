using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace NpEdit.Core.Config;

/// <summary>YAML to <see cref="JsonNode"/>, with YAML 1.2 core-schema scalars (quoted scalars stay strings).</summary>
public static class YamlNodes
{
    /// <summary>Parses a YAML document; an empty document is an empty object.</summary>
    public static JsonObject ParseDocument(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{source}: invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}");
        }
        if (stream.Documents.Count == 0)
            return new JsonObject();
        return ToJson(stream.Documents[0].RootNode, source) as JsonObject
            ?? throw new ConfigException($"{source}: the top level must be a mapping of keys (e.g. 'optim:\\n  lr: 1e-4').");
    }

    /// <summary>A scalar as it would be read from YAML (<c>1e-4</c> → number, <c>true</c> → bool, <c>x</c> → string).</summary>
    public static JsonNode? ParseScalar(string text) => Scalar(text, ScalarStyle.Plain);

    /// <summary>
    /// A value given on the command line: a YAML flow sequence or mapping (<c>[a, b]</c>, <c>{x: 1}</c>) as a list or
    /// object, anything else as <see cref="ParseScalar"/> reads it.
    /// </summary>
    public static JsonNode? ParseValue(string text, string source)
    {
        if (!text.StartsWith('[') && !text.StartsWith('{'))
            return ParseScalar(text);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{source}: '{text}' is not a YAML list or mapping ({e.Message}); write a list as [a, b] and quote items with commas.");
        }
        return ToJson(stream.Documents[0].RootNode, source);
    }

    private static JsonNode? ToJson(YamlNode node, string source) => node switch
    {
        YamlMappingNode map => ToObject(map, source),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(c => ToJson(c, source)).ToArray()),
        YamlScalarNode scalar => Scalar(scalar.Value ?? "", scalar.Style),
        _ => throw new ConfigException($"{source}: unsupported YAML node at line {node.Start.Line}."),
    };

    private static JsonObject ToObject(YamlMappingNode map, string source)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            var name = (key as YamlScalarNode)?.Value
                ?? throw new ConfigException($"{source}: line {key.Start.Line}: keys must be plain names.");
            if (obj.ContainsKey(name))
                throw new ConfigException($"{source}: line {key.Start.Line}: key '{name}' appears twice.");
            obj[name] = ToJson(value, source);
        }
        return obj;
    }

    private static JsonNode? Scalar(string text, ScalarStyle style)
    {
        if (style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return JsonValue.Create(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            return JsonValue.Create(l);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            return JsonValue.Create(d);
        return JsonValue.Create(text);
    }
}
