namespace NpEdit.Core.Config.Training;

/// <summary>How the generator's training pass is unrolled (Algorithm 1, line 3).</summary>
public enum UnrollPolicy
{
    /// <summary>The paper: t ∈ {0.25, 0.5, 0.75, 1}; t &lt; 1 takes a second pass from x̂0 re-noised to t.</summary>
    PaperTwoPass,
    /// <summary>Always one pass from pure noise (t = 1).</summary>
    SingleStep,
    /// <summary>Always two passes (t drawn from the grid below 1): the step's full cost every time, for benchmarks.</summary>
    TwoPass,
}
