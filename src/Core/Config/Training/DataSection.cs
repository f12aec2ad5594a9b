namespace NpEdit.Core.Config.Training;

/// <summary>Which shards feed training and how edit types are drawn.</summary>
public sealed record DataSection
{
    /// <summary>Shard files or folders of shards (DatasetBuilder output).</summary>
    public string[] Shards { get; init; } = [];

    /// <summary>Fraction of the dataset's rows used (data-scale ablation, Table 4).</summary>
    public double Fraction { get; init; } = 1.0;

    public int BatchSize { get; init; } = 32;

    /// <summary>Removal is drawn with this probability, the other types uniformly (App. E.1).</summary>
    public double RemovalProbability { get; init; } = 0.25;

    /// <summary>Seed of the row shuffle and the edit-type draws (independent of run.seed, so the data order can be held fixed).</summary>
    public long Seed { get; init; }

    /// <summary>
    /// ShapesWorld corpus seed of the ground-truth pairs for <c>objective: sft</c> (ShapesWorld only; the pairs come
    /// through its evaluation API and are never read for the other objectives).
    /// </summary>
    public ulong SftCorpusSeed { get; init; } = 7;
}
