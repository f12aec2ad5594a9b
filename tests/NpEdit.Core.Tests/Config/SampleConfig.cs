using NpEdit.Core.Config;

namespace NpEdit.Core.Tests.Config;

public enum SampleObjective { Full, OnlyDmd, OnlyVlm }

public sealed record SampleOptim
{
    public double Lr { get; init; } = 2e-6;
    public double[] Betas { get; init; } = [0.0, 0.9];
}

public sealed record SampleConfig : IValidatedConfig
{
    public SampleOptim Optim { get; init; } = new();
    public int Steps { get; init; } = 4;
    public SampleObjective Objective { get; init; } = SampleObjective.Full;
    public string? Note { get; init; }

    public IEnumerable<string> Validate()
    {
        if (Steps is not (1 or 2 or 4 or 8))
            yield return $"steps must be 1, 2, 4 or 8 (got {Steps})";
    }
}
