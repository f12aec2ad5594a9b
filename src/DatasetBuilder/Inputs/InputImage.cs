namespace NpEdit.DatasetBuilder.Inputs;

/// <summary>One reference image as read from the input, before decoding: the file bytes and its caption c^y.</summary>
public sealed record InputImage(string SourceId, byte[] Bytes, string Caption);
