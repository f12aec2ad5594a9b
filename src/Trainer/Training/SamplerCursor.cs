namespace NpEdit.Trainer.Training;

/// <summary>
/// Where <see cref="EditBatchSampler"/> stands: the number of draws, each edit type's shuffle epoch and position,
/// and the rows consumed per shard. Saved in every checkpoint, so a resumed run draws exactly the rows the
/// uninterrupted run would have.
/// </summary>
public sealed class SamplerCursor
{
    /// <summary>Examples drawn so far; seeds the edit-type choice of the next draw.</summary>
    public long Draws { get; set; }

    /// <summary>Per edit type: how many times its rows were reshuffled.</summary>
    public Dictionary<string, int> Epoch { get; set; } = [];

    /// <summary>Per edit type: the next index into the current shuffle.</summary>
    public Dictionary<string, int> Position { get; set; } = [];

    /// <summary>Rows drawn per shard file (the record of what a run consumed).</summary>
    public Dictionary<string, long> RowsPerShard { get; set; } = [];

    public SamplerCursor Clone() => new()
    {
        Draws = Draws,
        Epoch = new(Epoch),
        Position = new(Position),
        RowsPerShard = new(RowsPerShard),
    };
}
