namespace NpEdit.Core.Config.Dataset;

/// <summary>The reference-image corpus and how it is cut into units of work.</summary>
public sealed record InputSection
{
    public InputKind Kind { get; init; } = InputKind.ShapesWorld;

    /// <summary>A Parquet file or a folder of them, an image folder, or a ShapesWorld corpus folder.</summary>
    public string Path { get; init; } = "";

    /// <summary>Parquet: the HF image column (struct{bytes, path}). ShapesWorld corpora use <c>image</c>.</summary>
    public string ImageColumn { get; init; } = "image";

    /// <summary>Parquet: the caption column c^y ("" = no captions). ShapesWorld corpora always use <c>caption_detailed</c>.</summary>
    public string CaptionColumn { get; init; } = "caption";

    /// <summary>Parquet: the id column ("" = file name and row number).</summary>
    public string IdColumn { get; init; } = "id";

    /// <summary>Images per unit of work; each unit writes one shard. Never change it between runs of one dataset.</summary>
    public int ImagesPerUnit { get; init; } = 500;

    /// <summary>Use only the first N images (0 = all).</summary>
    public int Limit { get; init; }
}
