namespace NpEdit.ShapesWorld.Corpus;

/// <summary>The <c>corpus.json</c> written beside the shards: what was generated and how to regenerate it.</summary>
public sealed record CorpusManifest(int FormatVersion, int Count, int Resolution, ulong Seed, IReadOnlyList<string> Shards, string Registry)
{
    public const string FileName = "corpus.json";
    public const int CurrentFormatVersion = 1;
}
