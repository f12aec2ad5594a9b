using System.Text.Json.Serialization;

namespace NpEdit.Evaluator.Oracle;

/// <summary>
/// The oracle's accuracy on held-out renders: per attribute, pooled over every attribute decision
/// (<see cref="Overall"/>), and the share of scenes read entirely right.
/// </summary>
public sealed record OracleAccuracyReport(int Scenes, int Resolution, IReadOnlyList<AttributeAccuracy> Attributes, double SceneExact)
{
    [JsonIgnore]
    public double Overall => (double)Attributes.Sum(a => a.Correct) / Math.Max(1, Attributes.Sum(a => a.Total));

    [JsonIgnore]
    public AttributeAccuracy this[string name] =>
        Attributes.FirstOrDefault(a => a.Name == name) ?? throw new KeyNotFoundException($"No attribute '{name}'; known: {string.Join(", ", Attributes.Select(a => a.Name))}.");
}
