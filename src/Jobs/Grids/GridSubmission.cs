namespace NpEdit.Jobs.Grids;

/// <summary>What a submission did: points in the grid, runs created now, chains queued, and runs left alone.</summary>
public sealed record GridSubmission(long GridId, string Grid, int Points, int Created, int Queued, int AlreadyFinished, int AlreadyQueued);
