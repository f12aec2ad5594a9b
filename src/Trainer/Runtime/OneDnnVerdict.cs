namespace NpEdit.Trainer.Runtime;

/// <summary>
/// The highest oneDNN instruction-set cap under which <see cref="ConvolutionCheck"/> found one machine's convolutions
/// exact, as <c>npedit doctor --check-onednn</c> recorded it (<see cref="OneDnnVerdictStore"/>).
/// </summary>
/// <param name="Machine">The CPU and libtorch the check ran on (<see cref="OneDnnVerdictStore.MachineKey"/>).</param>
/// <param name="Isa">A <c>ONEDNN_MAX_CPU_ISA</c> value; <c>ALL</c> means no cap.</param>
/// <param name="WorstError">The check's worst relative error against fp64 under that cap.</param>
/// <param name="CheckedAt">When the check ran.</param>
public sealed record OneDnnVerdict(string Machine, string Isa, double WorstError, DateTimeOffset CheckedAt);
