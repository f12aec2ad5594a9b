using static TorchSharp.torch;

namespace NpEdit.Trainer.Losses;

/// <summary>
/// A loss and what it logs: DMD2's <c>(loss_dict, log_dict)</c> with types. <see cref="Loss"/> is a scalar
/// tensor still attached to the graph; <see cref="Logs"/> are plain numbers read inside the step's scope.
/// </summary>
public sealed record LossTerms(Tensor Loss, IReadOnlyDictionary<string, double> Logs);
