namespace NpEdit.Trainer.Pretraining;

/// <summary>How a pretraining job ended.</summary>
/// <param name="RunId">The run row.</param>
/// <param name="Step">Optimizer steps done.</param>
/// <param name="Completed">False when cancelled (a checkpoint was still written).</param>
/// <param name="Checkpoint">The folder of the last checkpoint.</param>
/// <param name="Agreement">The caption-agreement proxy of the last evaluation, if one ran.</param>
/// <param name="TrainSeconds">Wall time spent in training steps by this call (data loading and evaluation excluded).</param>
/// <param name="CpuSeconds">CPU time of the process over the training loop of this call (periodic evaluation included).</param>
public sealed record T2IPretrainOutcome(
    Guid RunId, long Step, bool Completed, string Checkpoint, CaptionAgreement.Result? Agreement, double TrainSeconds, double CpuSeconds);
