namespace NpEdit.DatasetBuilder.Parsing;

/// <summary>What an instruction-generation reply yielded: the readable items, and what was dropped and why.</summary>
public sealed record InstructionProposal(IReadOnlyList<ProposedInstruction> Items, IReadOnlyList<string> Dropped);
