using NpEdit.Core.Shards;

namespace NpEdit.Trainer.Training;

/// <summary>One dataset row and where it came from, so a run can record exactly what it consumed.</summary>
/// <param name="Sample">The row (y, c, c^y, c^x, edit type, object name). Rows read by <see cref="EditDataset"/> carry no
/// image bytes; <see cref="ShardImages"/> fetches them per batch from <paramref name="RowGroup"/>.</param>
/// <param name="Shard">Full path of the shard file.</param>
/// <param name="Row">Row index inside the shard.</param>
/// <param name="RowGroup">Parquet row group holding the row.</param>
/// <param name="InGroup">Row index inside that row group.</param>
public sealed record EditExample(EditSample Sample, string Shard, int Row, int RowGroup = 0, int InGroup = 0);
