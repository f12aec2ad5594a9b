namespace NpEdit.Core.Config.Dataset;

/// <summary>Where a dataset's reference images come from.</summary>
public enum InputKind
{
    /// <summary>Parquet files in the Hugging Face image layout (an image struct column and a caption column).</summary>
    Parquet,

    /// <summary>A folder of image files, with an optional <c>captions.jsonl</c> ({"file": ..., "caption": ...} per line).</summary>
    Folder,

    /// <summary>A ShapesWorld corpus written by <c>npedit world corpus</c> (its <c>corpus.json</c> lists the shards).</summary>
    ShapesWorld,
}
