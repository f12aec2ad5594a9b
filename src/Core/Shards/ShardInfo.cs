namespace NpEdit.Core.Shards;

/// <summary>A finished shard file: what a dataset manifest records.</summary>
public sealed record ShardInfo(string Path, int Rows, long Bytes, string Sha256);
