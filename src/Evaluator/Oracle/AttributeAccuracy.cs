using System.Text.Json.Serialization;

namespace NpEdit.Evaluator.Oracle;

/// <summary>How often one attribute was read correctly, over the cells or scenes where it applies.</summary>
public sealed record AttributeAccuracy(string Name, long Correct, long Total)
{
    [JsonIgnore]
    public double Accuracy => Total == 0 ? double.NaN : (double)Correct / Total;
}
