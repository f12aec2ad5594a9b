namespace NpEdit.DatasetBuilder.Parsing;

/// <summary>An instruction c proposed by the VLM, with its edit type (one of <see cref="Core.Shards.EditType.Local"/>).</summary>
public sealed record ProposedInstruction(string Instruction, string EditType);
