namespace NpEdit.Core.Config.Dataset;

/// <summary>
/// One edit dataset built by the DatasetBuilder (paper §4.1, App. D). Every default lives here; a YAML file holds
/// only overrides. The resolved config is stored with the dataset, and a rerun with the same name must resolve to
/// the same config (otherwise resuming would mix two datasets).
/// </summary>
public sealed record DatasetConfig : IValidatedConfig
{
    /// <summary>Unique dataset name: the key a rerun resumes by.</summary>
    public string Name { get; init; } = "shapes";

    /// <summary>Shard folder; empty = <c>.npedit/datasets/&lt;name&gt;</c>.</summary>
    public string OutputDir { get; init; } = "";

    /// <summary>Seeds the per-image draw of good examples, so every request of a rerun is identical (and cached).</summary>
    public long Seed { get; init; }

    /// <summary>Instructions whose normalised words overlap at least this much (Jaccard) count as near duplicates.</summary>
    public double NearDuplicateJaccard { get; init; } = 0.8;

    public InputSection Input { get; init; } = new();
    public ImageSection Images { get; init; } = new();
    public TasksSection Tasks { get; init; } = new();
    public VlmSection Vlm { get; init; } = new();

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Name) || Name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
            yield return $"name '{Name}' must be non-empty and use only letters, digits, '-', '_' and '.'";
        if (string.IsNullOrWhiteSpace(Input.Path))
            yield return "input.path is empty: give a Parquet file or folder, an image folder, or a ShapesWorld corpus ('npedit world corpus')";
        if (Input.ImagesPerUnit < 1)
            yield return $"input.images_per_unit must be at least 1 (got {Input.ImagesPerUnit})";
        if (Input.Limit < 0)
            yield return $"input.limit must be 0 (all) or positive (got {Input.Limit})";
        if (Input.Kind == InputKind.Parquet && string.IsNullOrWhiteSpace(Input.ImageColumn))
            yield return "input.image_column is empty: name the Parquet image column (struct{bytes, path})";
        if (Images.MinSide < 1 || Images.MaxSide < Images.MinSide)
            yield return $"images.min_side ({Images.MinSide}) must be ≥ 1 and ≤ images.max_side ({Images.MaxSide})";
        if (Images.MaxFileBytes < 1 || Images.MaxPixels < 1)
            yield return "images.max_file_bytes and images.max_pixels must be positive";
        if (!Tasks.Local && !Tasks.Customization)
            yield return "tasks.local and tasks.customization are both false: enable at least one pipeline";
        if (Vlm.MaxInFlightPerEndpoint < 1)
            yield return $"vlm.max_in_flight_per_endpoint must be at least 1 (got {Vlm.MaxInFlightPerEndpoint})";
        if (Vlm.TimeoutMinutes <= 0 || Vlm.MaxDelaySeconds <= 0 || Vlm.BaseDelayMs < 0)
            yield return "vlm.timeout_minutes and vlm.max_delay_seconds must be positive, vlm.base_delay_ms ≥ 0";
        if (Vlm.MaxAttempts < 1)
            yield return $"vlm.max_attempts must be at least 1 (got {Vlm.MaxAttempts})";
        if (Vlm.Temperature is < 0 or > 2)
            yield return $"vlm.temperature must be in [0, 2] (got {Vlm.Temperature})";
        if (Vlm.MaxTokens < 16)
            yield return $"vlm.max_tokens must be at least 16 (got {Vlm.MaxTokens})";
        if (NearDuplicateJaccard is <= 0 or > 1)
            yield return $"near_duplicate_jaccard must be in (0, 1] (got {NearDuplicateJaccard})";
    }
}
