using System.Globalization;

namespace NpEdit.ShapesWorld.Annotator;

/// <summary>
/// Seeded fault injection for the annotator endpoint, so clients' retry and parsing paths get exercised:
/// HTTP 429, HTTP 500, a request that hangs and then drops the connection, and a 200 with a garbage body.
/// </summary>
public sealed record FaultOptions
{
    public double TooManyRequestsRate { get; init; }
    public double ServerErrorRate { get; init; }
    public double TimeoutRate { get; init; }
    public double GarbageRate { get; init; }

    /// <summary>How long a "timeout" request hangs before the connection is dropped.</summary>
    public TimeSpan TimeoutHang { get; init; } = TimeSpan.FromSeconds(120);

    public static FaultOptions None { get; } = new();

    public double TotalRate => TooManyRequestsRate + ServerErrorRate + TimeoutRate + GarbageRate;

    /// <summary>Parses the CLI form <c>429:0.05,500:0.02,timeout:0.01,garbage:0.03</c>.</summary>
    public static FaultOptions Parse(string? spec)
    {
        var result = new FaultOptions();
        if (string.IsNullOrWhiteSpace(spec)) return result;
        foreach (var part in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var kv = part.Split(':');
            if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 1)
                throw new FormatException($"Bad fault '{part}': write KIND:RATE with RATE in [0, 1], e.g. 429:0.05,500:0.02,timeout:0.01,garbage:0.03.");
            result = kv[0].ToLowerInvariant() switch
            {
                "429" => result with { TooManyRequestsRate = rate },
                "500" => result with { ServerErrorRate = rate },
                "timeout" => result with { TimeoutRate = rate },
                "garbage" => result with { GarbageRate = rate },
                _ => throw new FormatException($"Unknown fault kind '{kv[0]}': use 429, 500, timeout or garbage."),
            };
        }
        if (result.TotalRate > 1) throw new FormatException($"Fault rates add up to {result.TotalRate}; they must add up to at most 1.");
        return result;
    }
}
