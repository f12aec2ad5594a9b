using NpEdit.Core.Shards;

namespace NpEdit.DatasetBuilder.Pipeline;

/// <summary>What one image produced: rows, the calls it made, rejected replies, and the model's own "no" verdicts.</summary>
public sealed class ImageOutcome
{
    public List<EditSample> Rows { get; } = [];
    public List<VlmCallRecord> Calls { get; } = [];
    public List<ParseReject> Rejects { get; } = [];

    /// <summary>Instructions the validity check called invalid (App. D keeps only the valid ones).</summary>
    public int InvalidInstructions { get; set; }

    /// <summary>True when the prominent-object check said the image has no single central object.</summary>
    public bool NotProminent { get; set; }
}
