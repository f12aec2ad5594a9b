namespace NpEdit.DatasetBuilder.Inputs;

/// <summary>
/// The slice of the input one unit of work reads: rows [<see cref="Start"/>, Start + <see cref="Count"/>) of one
/// Parquet file, or of an image folder's sorted file list. Stored as JSON in <c>dataset_units.input</c>.
/// </summary>
public sealed record UnitInput(string File, int Start, int Count);
