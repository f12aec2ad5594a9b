namespace NpEdit.DatasetBuilder.Parsing;

/// <summary>The validity check of App. D: is the instruction applicable, why, and the edited-image caption c^x (valid only).</summary>
public sealed record ValidityVerdict(bool Valid, string Reasoning, string EditedCaption);
