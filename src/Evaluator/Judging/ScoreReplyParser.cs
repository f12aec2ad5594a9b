using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NpEdit.Evaluator.Judging;

/// <summary>
/// Reads <c>{"score": [..], "reasoning": ".."}</c> from a judge reply: plain JSON, JSON inside a code fence or
/// prose, or at least a <c>"score": [..]</c> fragment. Returns null when the reply has no such list, the count is
/// wrong or a value is outside the scale: the caller retries and then records a failure.
/// </summary>
public static partial class ScoreReplyParser
{
    public static double[]? Parse(string reply, int count, double min, double max)
    {
        var scores = FromJson(reply) ?? FromFragment(reply);
        if (scores is null || scores.Length != count || scores.Any(s => double.IsNaN(s) || s < min || s > max))
            return null;
        return scores;
    }

    private static double[]? FromJson(string reply)
    {
        var start = reply.IndexOf('{');
        var end = reply.LastIndexOf('}');
        if (start < 0 || end <= start)
            return null;
        try
        {
            using var doc = JsonDocument.Parse(reply[start..(end + 1)]);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return null;
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (!property.Name.Equals("score", StringComparison.OrdinalIgnoreCase) && !property.Name.Equals("scores", StringComparison.OrdinalIgnoreCase))
                    continue;
                if (property.Value.ValueKind != JsonValueKind.Array)
                    return null;
                var values = new List<double>();
                foreach (var v in property.Value.EnumerateArray())
                {
                    if (v.ValueKind == JsonValueKind.Number)
                        values.Add(v.GetDouble());
                    else if (v.ValueKind == JsonValueKind.String && double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                        values.Add(d);
                    else
                        return null;
                }
                return values.ToArray();
            }
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static double[]? FromFragment(string reply)
    {
        var match = ScoreList().Match(reply);
        if (!match.Success)
            return null;
        var parts = match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (var i = 0; i < parts.Length; i++)
            if (!double.TryParse(parts[i].Trim('"', '\''), NumberStyles.Float, CultureInfo.InvariantCulture, out values[i]))
                return null;
        return values;
    }

    [GeneratedRegex(@"[""']?scores?[""']?\s*:\s*\[([^\]]*)\]", RegexOptions.IgnoreCase)]
    private static partial Regex ScoreList();
}
