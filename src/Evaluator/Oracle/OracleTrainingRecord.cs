namespace NpEdit.Evaluator.Oracle;

/// <summary>How a checkpoint was made, stored in its config file: the training settings, the time it took and what it scored.</summary>
public sealed record OracleTrainingRecord(
    OracleTrainConfig Training,
    long Steps,
    double TrainSeconds,
    int TorchThreads,
    string Machine,
    OracleAccuracyReport? HeldOut);
