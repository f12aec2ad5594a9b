namespace NpEdit.DatasetBuilder.Manifest;

/// <summary>A dataset as stored in <c>npedit.datasets</c>: the resolved config (JSON) is the source of truth for its units.</summary>
public sealed record DatasetRecord(long Id, string Name, string Config, string ConfigHash, string OutputDir, string Status, int Units);
