namespace NpEdit.Trainer.Runtime;

/// <summary>What <see cref="ConvolutionCheck.Run"/> found: the worst relative error against fp64 and the case it came from.</summary>
/// <param name="WorstError">max |fp32 − fp64| / max |fp64| over every case, output and gradient (NaN when a result was NaN).</param>
/// <param name="WorstCase">Which output or gradient of which convolution, in words.</param>
public sealed record ConvolutionCheckResult(double WorstError, string WorstCase)
{
    /// <summary>True when every convolution matched fp64 within <see cref="ConvolutionCheck.Tolerance"/>.</summary>
    public bool Exact => WorstError < ConvolutionCheck.Tolerance;   // false for NaN
}
