using NpEdit.Core.Shards;

namespace NpEdit.Trainer.Training;

/// <summary>One dataset row and where it came from, so a run can record exactly what it consumed.</summary>
/// <param name="Sample">The row (y, c, c^y, c^x, edit type, object name).</param>
/// <param name="Shard">Full path of the shard file.</param>
/// <param name="Row">Row index inside the shard.</param>
public sealed record EditExample(EditSample Sample, string Shard, int Row);
