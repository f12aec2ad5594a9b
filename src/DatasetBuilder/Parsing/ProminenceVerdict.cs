namespace NpEdit.DatasetBuilder.Parsing;

/// <summary>The prominent-object check of App. D: one central, uniquely identifiable object, and its name.</summary>
public sealed record ProminenceVerdict(bool Prominent, string Reasoning, string ObjectName);
