namespace NpEdit.Trainer.Training;

/// <summary>
/// Counts steps skipped for a non-finite loss or gradient norm (the reimplementation's guard) and stops the run
/// after <c>run.max_non_finite_in_a_row</c> in a row, when skipping no longer helps.
/// </summary>
public sealed class NonFiniteGuard(int maxInARow)
{
    /// <summary>Skipped steps over the whole run.</summary>
    public long Skipped { get; set; }

    /// <summary>Skipped steps since the last finite one.</summary>
    public int InARow { get; set; }

    /// <summary>True when the step may apply its update; false (and counted) when it must be skipped.</summary>
    /// <exception cref="TrainingDivergedException">The limit of non-finite steps in a row is reached.</exception>
    public bool Check(long step, params (string Name, double Value)[] values)
    {
        var bad = values.Where(v => !double.IsFinite(v.Value)).ToArray();
        if (bad.Length == 0)
        {
            InARow = 0;
            return true;
        }
        Skipped++;
        InARow++;
        if (InARow >= maxInARow)
            throw new TrainingDivergedException(
                $"Training diverged at step {step}: {InARow} steps in a row had a non-finite value " +
                $"({string.Join(", ", bad.Select(b => $"{b.Name} = {b.Value}"))}). Lower optim.lr or loss weights, " +
                "set optim.grad_clip, and resume from the last checkpoint (--resume).");
        return false;
    }
}
