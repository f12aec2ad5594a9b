using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace NpEdit.Trainer.Runtime;

/// <summary>
/// A parsed <c>--device auto|cpu|cuda[:N]</c> value. Parsing is case-insensitive and ignores surrounding
/// white space; <see cref="ToString"/> gives the canonical spelling (<c>auto</c>, <c>cpu</c>, <c>cuda:N</c>).
/// </summary>
/// <param name="Kind">Auto, CPU or CUDA.</param>
/// <param name="Index">The CUDA device index; 0 for auto and CPU.</param>
public sealed record DeviceSpec(DeviceKind Kind, int Index = 0)
{
    /// <summary>CUDA device 0 when CUDA initializes, otherwise the CPU.</summary>
    public static DeviceSpec Auto { get; } = new(DeviceKind.Auto);

    /// <summary>The CPU.</summary>
    public static DeviceSpec Cpu { get; } = new(DeviceKind.Cpu);

    /// <summary>CUDA device <paramref name="index"/>.</summary>
    public static DeviceSpec Cuda(int index = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new(DeviceKind.Cuda, index);
    }

    /// <summary>Parses <c>auto</c>, <c>cpu</c>, <c>cuda</c> or <c>cuda:N</c>.</summary>
    /// <exception cref="FormatException">The text is none of these; the message lists what is accepted.</exception>
    public static DeviceSpec Parse(string? text) =>
        TryParse(text, out var spec, out var error) ? spec : throw new FormatException(error);

    /// <summary>Parses like <see cref="Parse"/>, returning false and a message instead of throwing.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out DeviceSpec? spec, [NotNullWhen(false)] out string? error)
    {
        spec = null;
        var value = text?.Trim().ToLowerInvariant() ?? "";
        switch (value)
        {
            case "auto":
                spec = Auto;
                break;
            case "cpu":
                spec = Cpu;
                break;
            case "cuda":
                spec = Cuda(0);
                break;
            default:
                if (value.StartsWith("cuda:", StringComparison.Ordinal)
                    && int.TryParse(value.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                    spec = Cuda(index);
                break;
        }
        error = spec is null
            ? $"Invalid device '{text}': expected auto, cpu, cuda or cuda:N with N a device index (0, 1, ...)."
            : null;
        return spec is not null;
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        DeviceKind.Auto => "auto",
        DeviceKind.Cpu => "cpu",
        _ => $"cuda:{Index}",
    };
}
