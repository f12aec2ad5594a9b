namespace NpEdit.ShapesWorld.Annotator;

/// <summary>What the annotator does with one request instead of (or before) answering it.</summary>
public enum FaultKind { None, TooManyRequests, ServerError, Timeout, Garbage }
