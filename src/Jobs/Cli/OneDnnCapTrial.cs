using NpEdit.Trainer.Runtime;

namespace NpEdit.Jobs.Cli;

/// <summary>One oneDNN cap tried by <see cref="OneDnnCapSearch"/>.</summary>
/// <param name="Isa">The <c>ONEDNN_MAX_CPU_ISA</c> value.</param>
/// <param name="WorstError">The check's worst relative error against fp64; ∞ when the child failed.</param>
/// <param name="Detail">Where the worst error was, or why the child failed.</param>
internal sealed record OneDnnCapTrial(string Isa, double WorstError, string Detail)
{
    /// <summary>True when every convolution matched fp64 within <see cref="ConvolutionCheck.Tolerance"/>.</summary>
    public bool Exact => WorstError < ConvolutionCheck.Tolerance;
}
