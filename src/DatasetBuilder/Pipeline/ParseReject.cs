namespace NpEdit.DatasetBuilder.Pipeline;

/// <summary>A reply that could not be used, kept with its raw text (<c>npedit.dataset_rejects</c>).</summary>
public sealed record ParseReject(string SourceId, string Prompt, string Reason, string RawReply);
