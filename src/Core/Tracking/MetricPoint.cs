namespace NpEdit.Core.Tracking;

/// <summary>One metric value at one step of a run.</summary>
public readonly record struct MetricPoint(Guid RunId, string Key, long Step, double Value, DateTime WallTime);
