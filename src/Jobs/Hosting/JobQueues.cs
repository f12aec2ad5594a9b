namespace NpEdit.Jobs.Hosting;

/// <summary>
/// The platform's Hangfire queues. A worker serves the queues it is given, so placement is a command-line choice:
/// GPU machines run <c>npedit worker --queues gpu --workers &lt;GPUs&gt;</c>, CPU machines the rest.
/// </summary>
public static class JobQueues
{
    /// <summary>Bookkeeping: grid expansion, dataset finalisation.</summary>
    public const string Default = "default";

    /// <summary>Work bound by VLM endpoint throughput: dataset units, judging.</summary>
    public const string Vlm = "vlm";

    /// <summary>Torch work: pretraining, training, benchmark generation.</summary>
    public const string Gpu = "gpu";

    /// <summary>Reports (plots, tables) once evaluations finish.</summary>
    public const string Report = "report";

    public static readonly string[] All = [Default, Vlm, Gpu, Report];

    /// <summary>Parses a comma-separated queue list, rejecting names Hangfire would not accept.</summary>
    public static string[] Parse(string list)
    {
        var queues = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal).ToArray();
        if (queues.Length == 0)
            throw new ArgumentException($"--queues is empty; give one or more of {string.Join(", ", All)} (comma-separated).");
        foreach (var q in queues)
        {
            // Hangfire allows only lowercase letters, digits, '_' and '-' in queue names.
            if (!q.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' or '-'))
                throw new ArgumentException($"Queue name '{q}' is invalid: use lowercase letters, digits, '_' and '-' (e.g. {string.Join(", ", All)}).");
        }
        return queues;
    }
}
